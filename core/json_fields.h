// Typed access to JSON object members, for the small JSON formats this project defines
// (docs/model-format.md): read a member as a number, integer, string or number list with an error
// that names it, and build such objects.
//
// Why: every portable model file is read field by field; one set of helpers gives every family
// the same error messages ("package.json: member 'coef' is not a list of numbers") and keeps
// RapidJSON's unchecked accessors (which assert) away from untrusted files.
// How: `Get*` look a member up with FindMember (exact, then case-insensitive) and check its type.
// `Add*` append members to an object using the document's allocator.
//
// Thread-safety: reentrant; no shared state.
#ifndef KEPLER_CORE_JSON_FIELDS_H_
#define KEPLER_CORE_JSON_FIELDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"

namespace kepler::model::core {

// Member `key` of `object` as a finite number. InvalidArgument when absent or of another type.
absl::StatusOr<double> GetNumber(const rapidjson::Value& object, absl::string_view key);
// As GetNumber, for an integer (a JSON integer, or a number with no fraction).
absl::StatusOr<int64_t> GetInteger(const rapidjson::Value& object, absl::string_view key);
// Member `key` as a string.
absl::StatusOr<std::string> GetString(const rapidjson::Value& object, absl::string_view key);
// Member `key` as a list of finite numbers (may be empty).
absl::StatusOr<std::vector<double>> GetNumberList(const rapidjson::Value& object,
                                                  absl::string_view key);
// Member `key` as a list of strings (may be empty).
absl::StatusOr<std::vector<std::string>> GetStringList(const rapidjson::Value& object,
                                                       absl::string_view key);

// Appends `key: value` to the object `*object`.
void AddString(rapidjson::Value* object, absl::string_view key, absl::string_view value,
               rapidjson::Document::AllocatorType& allocator);
void AddNumber(rapidjson::Value* object, absl::string_view key, double value,
               rapidjson::Document::AllocatorType& allocator);
void AddInteger(rapidjson::Value* object, absl::string_view key, int64_t value,
                rapidjson::Document::AllocatorType& allocator);
void AddNumberList(rapidjson::Value* object, absl::string_view key,
                   const std::vector<double>& values,
                   rapidjson::Document::AllocatorType& allocator);
void AddStringList(rapidjson::Value* object, absl::string_view key,
                   const std::vector<std::string>& values,
                   rapidjson::Document::AllocatorType& allocator);

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_JSON_FIELDS_H_
