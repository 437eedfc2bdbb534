// Lenient readers of the loosely typed fields legacy clients send (contract §2.2).
//
// Existing clients send `"weight": "true"`, node types as strings or null, and sources that need
// normalising; these helpers accept what the reference accepted, fix its truthiness defect
// (§11.9: "false" is false) and name the field in every error.
#ifndef KEPLER_GATEWAY_LEGACY_JSON_FIELDS_H_
#define KEPLER_GATEWAY_LEGACY_JSON_FIELDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"

namespace kepler::model::gateway {

// Whether `text` is strict UTF-8: no overlong forms, surrogates or code points past U+10FFFF.
// Proto3 string fields must hold UTF-8. RapidJSON's kParseValidateEncodingFlag checks the raw
// bytes of a document, but RapidJSON 1.1 still turns an unpaired "\udc00" escape into a surrogate.
bool IsValidUtf8(absl::string_view text);

// A string, or null for `default_value`. Strings that are not valid UTF-8 are an error, here and
// in ReadLegacyStringList.
absl::StatusOr<std::string> ReadLegacyString(const rapidjson::Value& value, absl::string_view field,
                                             const std::string& default_value = "");

// A list of strings.
absl::StatusOr<std::vector<std::string>> ReadLegacyStringList(const rapidjson::Value& value,
                                                              absl::string_view field);

// true/false; strings "true"/"false"/"1"/"0"/"yes"/"no" (any case); numbers (non-zero is true);
// null and "" give `default_value`.
absl::StatusOr<bool> ReadLegacyBool(const rapidjson::Value& value, absl::string_view field,
                                    bool default_value);

// An integer, an integral float, or a decimal string; null and "" give `default_value`; false
// and true give 0 and 1 (as the reference's Python int() does).
absl::StatusOr<long long> ReadLegacyInt(const rapidjson::Value& value, absl::string_view field,
                                        long long default_value);

}  // namespace kepler::model::gateway

#endif  // KEPLER_GATEWAY_LEGACY_JSON_FIELDS_H_
