// Numeric fields of the portable-JSON model files (docs/model-format.md), read and written.
//
// What: typed getters for scalars, flat arrays and row lists (arrays of equal-length arrays) that
// report a missing or mistyped member as InvalidArgument naming the key and the file's family;
// setters that append the same shapes to a rapidjson object.
// Why: the gradient-boosting, k-neighbours and SVR files are mostly long numeric arrays; one
// checked reader keeps each family's parser short and rejects NaN and infinities everywhere.
// How: getters take the parent object; row lists come back flattened row-major.
//
// Thread-safety: stateless functions.
#ifndef KEPLER_CORE_INTERNAL_JSON_ARRAYS_H_
#define KEPLER_CORE_INTERNAL_JSON_ARRAYS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"

namespace kepler::model::core::internal {

// A parsed portable model file: `text` parsed, an object whose "model" is `model` and whose
// "format_version" is 1.
absl::StatusOr<rapidjson::Document> ParseModelFile(absl::string_view text, absl::string_view model);

// Finite number `key`.
absl::StatusOr<double> GetDouble(const rapidjson::Value& object, absl::string_view key);
// Integer `key` in [min, max].
absl::StatusOr<int64_t> GetInt(const rapidjson::Value& object, absl::string_view key, int64_t min,
                               int64_t max);
// Array of finite numbers `key`.
absl::StatusOr<std::vector<double>> GetDoubles(const rapidjson::Value& object,
                                               absl::string_view key);
// Array of integers `key`, each in [min, max].
absl::StatusOr<std::vector<int32_t>> GetInts(const rapidjson::Value& object, absl::string_view key,
                                             int32_t min, int32_t max);
// Array of `width`-long arrays of finite numbers `key`, flattened row-major.
absl::StatusOr<std::vector<double>> GetRows(const rapidjson::Value& object, absl::string_view key,
                                            size_t width);

// Starts a model file object: {"model": model, "format_version": 1}.
rapidjson::Document NewModelFile(absl::string_view model);
// Appends `key`: value (a double) to `object`.
void AddDouble(rapidjson::Document* doc, rapidjson::Value* object, absl::string_view key,
               double value);
// Appends `key`: value (an integer).
void AddInt(rapidjson::Document* doc, rapidjson::Value* object, absl::string_view key,
            int64_t value);
// Appends `key`: [values...] (doubles).
void AddDoubles(rapidjson::Document* doc, rapidjson::Value* object, absl::string_view key,
                const std::vector<double>& values);
// Appends `key`: [values...] (integers).
void AddInts(rapidjson::Document* doc, rapidjson::Value* object, absl::string_view key,
             const std::vector<int32_t>& values);
// Appends `key`: [[row 0], [row 1], ...] from the row-major `values` with `width` columns.
void AddRows(rapidjson::Document* doc, rapidjson::Value* object, absl::string_view key,
             const std::vector<double>& values, size_t width);

// Compact JSON text of `doc`; InvalidArgument for a non-finite number.
absl::StatusOr<std::string> ToJsonText(const rapidjson::Document& doc);

}  // namespace kepler::model::core::internal

#endif  // KEPLER_CORE_INTERNAL_JSON_ARRAYS_H_
