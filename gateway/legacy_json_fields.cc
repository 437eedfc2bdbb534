#include "gateway/legacy_json_fields.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace kepler::model::gateway {
namespace {

absl::Status TypeError(absl::string_view field, absl::string_view expected) {
  return absl::InvalidArgumentError(absl::StrCat("field '", field, "' must be ", expected));
}

bool IsBlank(const rapidjson::Value& value) {
  return value.IsNull() || (value.IsString() && value.GetStringLength() == 0);
}

}  // namespace

absl::StatusOr<std::string> ReadLegacyString(const rapidjson::Value& value, absl::string_view field,
                                             const std::string& default_value) {
  if (value.IsNull()) return default_value;
  if (!value.IsString()) return TypeError(field, "a string");
  return std::string(value.GetString(), value.GetStringLength());
}

absl::StatusOr<std::vector<std::string>> ReadLegacyStringList(const rapidjson::Value& value,
                                                              absl::string_view field) {
  if (!value.IsArray()) return TypeError(field, "a list of strings");
  std::vector<std::string> out;
  out.reserve(value.Size());
  for (const auto& item : value.GetArray()) {
    if (!item.IsString()) return TypeError(field, "a list of strings");
    out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return out;
}

absl::StatusOr<bool> ReadLegacyBool(const rapidjson::Value& value, absl::string_view field,
                                    bool default_value) {
  if (IsBlank(value)) return default_value;
  if (value.IsBool()) return value.GetBool();
  if (value.IsNumber()) return value.GetDouble() != 0;
  if (!value.IsString()) return TypeError(field, "true or false");
  std::string text = absl::AsciiStrToLower(
      absl::StripAsciiWhitespace(absl::string_view(value.GetString(), value.GetStringLength())));
  if (text == "true" || text == "1" || text == "yes") return true;
  if (text == "false" || text == "0" || text == "no") return false;
  return TypeError(field, "true or false");
}

absl::StatusOr<long long> ReadLegacyInt(const rapidjson::Value& value, absl::string_view field,
                                        long long default_value) {
  if (IsBlank(value)) return default_value;
  if (value.IsBool()) return value.GetBool() ? 1 : 0;
  if (value.IsInt64()) return value.GetInt64();
  if (value.IsNumber()) {
    double number = value.GetDouble();
    if (std::isfinite(number) && number == std::floor(number) && std::fabs(number) < 1e15) {
      return static_cast<long long>(number);
    }
    return TypeError(field, "an integer");
  }
  long long parsed = 0;
  if (value.IsString() &&
      absl::SimpleAtoi(absl::string_view(value.GetString(), value.GetStringLength()), &parsed)) {
    return parsed;
  }
  return TypeError(field, "an integer");
}

}  // namespace kepler::model::gateway
