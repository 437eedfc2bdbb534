#include "gateway/legacy_json_fields.h"

#include <cmath>
#include <cstdint>

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

bool IsValidUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    uint32_t code_point, smallest;
    if ((lead & 0xE0) == 0xC0) {
      length = 2, code_point = lead & 0x1F, smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3, code_point = lead & 0x0F, smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4, code_point = lead & 0x07, smallest = 0x10000;
    } else {
      return false;
    }
    if (text.size() - i < length) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    if (code_point < smallest || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

absl::StatusOr<std::string> ReadLegacyString(const rapidjson::Value& value, absl::string_view field,
                                             const std::string& default_value) {
  if (value.IsNull()) return default_value;
  if (!value.IsString()) return TypeError(field, "a string");
  std::string text(value.GetString(), value.GetStringLength());
  if (!IsValidUtf8(text)) return TypeError(field, "valid UTF-8");
  return text;
}

absl::StatusOr<std::vector<std::string>> ReadLegacyStringList(const rapidjson::Value& value,
                                                              absl::string_view field) {
  if (!value.IsArray()) return TypeError(field, "a list of strings");
  std::vector<std::string> out;
  out.reserve(value.Size());
  for (const auto& item : value.GetArray()) {
    if (!item.IsString()) return TypeError(field, "a list of strings");
    out.emplace_back(item.GetString(), item.GetStringLength());
    if (!IsValidUtf8(out.back())) return TypeError(field, "valid UTF-8");
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
