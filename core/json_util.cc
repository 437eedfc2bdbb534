#include "core/json_util.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/status_macros.h"
#include "rapidjson/error/en.h"

namespace kepler::model::core {
namespace {

constexpr unsigned kParseFlags = rapidjson::kParseFullPrecisionFlag |
                                 rapidjson::kParseNanAndInfFlag |
                                 rapidjson::kParseIterativeFlag;

// Deepest bracket nesting of `text`, ignoring brackets inside strings. Checked before parsing so
// that no later recursive walk can run out of stack.
int MaxNesting(absl::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

// Splits std::to_chars scientific output ("-1.2345e+02") into sign, digits and exponent.
struct Decimal {
  bool negative = false;
  std::string digits;  // no leading zeros except for zero itself
  int exponent = 0;    // value = d.ddd * 10^exponent
};

Decimal ShortestDecimal(double value) {
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::scientific);
  Decimal out;
  const char* p = buf;
  if (*p == '-') {
    out.negative = true;
    ++p;
  }
  for (; p < result.ptr && *p != 'e'; ++p) {
    if (*p != '.') out.digits.push_back(*p);
  }
  if (p < result.ptr && p[1] == '+') ++p;  // from_chars takes "-05" but not "+05"
  std::from_chars(p + 1, result.ptr, out.exponent);
  return out;
}

std::string FixedNotation(const Decimal& d) {
  std::string out = d.negative ? "-" : "";
  if (d.exponent < 0) {
    return out + "0." + std::string(-d.exponent - 1, '0') + d.digits;
  }
  const size_t int_len = d.exponent + 1;
  if (d.digits.size() <= int_len) {
    return out + d.digits + std::string(int_len - d.digits.size(), '0') + ".0";
  }
  return out + d.digits.substr(0, int_len) + "." + d.digits.substr(int_len);
}

std::string ScientificNotation(const Decimal& d) {
  std::string out = d.negative ? "-" : "";
  out += d.digits.substr(0, 1);
  if (d.digits.size() > 1) out += "." + d.digits.substr(1);
  return out + absl::StrFormat("e%c%02d", d.exponent < 0 ? '-' : '+', std::abs(d.exponent));
}

// Decodes one UTF-8 code point at `s[*i]`, advancing `*i`; -1 when malformed.
int32_t DecodeUtf8(absl::string_view s, size_t* i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t lead = byte(*i);
  int len = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3
                                                 : (lead >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || *i + len > s.size()) return -1;
  int32_t cp = len == 1 ? lead : lead & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    if ((byte(*i + k) & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (byte(*i + k) & 0x3F);
  }
  static constexpr int32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  *i += len;
  return cp;
}

void AppendEscapedCodePoint(int32_t cp, std::string* out) {
  if (cp > 0xFFFF) {
    cp -= 0x10000;
    absl::StrAppendFormat(out, "\\u%04x\\u%04x", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
  } else {
    absl::StrAppendFormat(out, "\\u%04x", cp);
  }
}

absl::Status AppendString(absl::string_view s, bool ensure_ascii, std::string* out) {
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    const int32_t cp = DecodeUtf8(s, &i);
    if (cp < 0) return absl::InvalidArgumentError("JSON string is not valid UTF-8");
    switch (cp) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      case '\b': *out += "\\b"; break;
      case '\f': *out += "\\f"; break;
      default:
        if (cp < 0x20 || (ensure_ascii && cp >= 0x7F)) {
          AppendEscapedCodePoint(cp, out);
        } else {
          out->append(s.data() + start, i - start);
        }
    }
  }
  out->push_back('"');
  return absl::OkStatus();
}

class Writer {
 public:
  Writer(const JsonWriteOptions& options, std::string* out) : options_(options), out_(out) {}

  absl::Status Write(const rapidjson::Value& value, int depth) {
    if ((value.IsObject() || value.IsArray()) && depth > kMaxJsonDepth) {
      return absl::InvalidArgumentError("JSON nested too deeply");
    }
    if (value.IsObject()) return WriteObject(value, depth);
    if (value.IsArray()) return WriteArray(value, depth);
    if (value.IsString()) return AppendString(StringView(value), options_.ensure_ascii, out_);
    if (value.IsNull()) {
      *out_ += "null";
    } else if (value.IsBool()) {
      *out_ += value.GetBool() ? "true" : "false";
    } else if (value.IsInt64()) {
      absl::StrAppend(out_, value.GetInt64());
    } else if (value.IsUint64()) {
      absl::StrAppend(out_, value.GetUint64());
    } else {
      ASSIGN_OR_RETURN(std::string number, FormatDouble(value.GetDouble()));
      *out_ += number;
    }
    return absl::OkStatus();
  }

 private:
  absl::Status WriteArray(const rapidjson::Value& value, int depth) {
    out_->push_back('[');
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      if (i > 0) *out_ += item_separator();
      RETURN_IF_ERROR(Write(value[i], depth + 1));
    }
    out_->push_back(']');
    return absl::OkStatus();
  }

  absl::Status WriteObject(const rapidjson::Value& value, int depth) {
    std::vector<const rapidjson::Value::Member*> members;
    for (const auto& member : value.GetObject()) members.push_back(&member);
    if (options_.sort_keys) {
      std::stable_sort(members.begin(), members.end(), [](const auto* a, const auto* b) {
        return StringView(a->name) < StringView(b->name);
      });
    }
    out_->push_back('{');
    for (size_t i = 0; i < members.size(); ++i) {
      if (i > 0) *out_ += item_separator();
      RETURN_IF_ERROR(AppendString(StringView(members[i]->name), options_.ensure_ascii, out_));
      *out_ += options_.python_spacing ? ": " : ":";
      RETURN_IF_ERROR(Write(members[i]->value, depth + 1));
    }
    out_->push_back('}');
    return absl::OkStatus();
  }

  const char* item_separator() const { return options_.python_spacing ? ", " : ","; }

  const JsonWriteOptions& options_;
  std::string* out_;
};

}  // namespace

absl::StatusOr<rapidjson::Document> ParseJson(absl::string_view text) {
  if (MaxNesting(text) > kMaxJsonDepth) {
    return absl::InvalidArgumentError(
        absl::StrCat("JSON parse error: nested deeper than ", kMaxJsonDepth, " levels"));
  }
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(text.data(), text.size());
  if (doc.HasParseError()) {
    return absl::InvalidArgumentError(absl::StrCat("JSON parse error at offset ",
                                                   doc.GetErrorOffset(), ": ",
                                                   rapidjson::GetParseError_En(doc.GetParseError())));
  }
  return doc;
}

absl::StatusOr<std::string> FormatDouble(double value) {
  if (!std::isfinite(value)) {
    return absl::InvalidArgumentError(absl::StrCat("cannot write ", value, " as JSON"));
  }
  const Decimal d = ShortestDecimal(value);
  if (d.exponent >= -4 && d.exponent < 16) return FixedNotation(d);
  return ScientificNotation(d);
}

absl::StatusOr<std::string> WriteJson(const rapidjson::Value& value,
                                      const JsonWriteOptions& options) {
  std::string out;
  RETURN_IF_ERROR(Writer(options, &out).Write(value, 1));
  return out;
}

const rapidjson::Value* FindMember(const rapidjson::Value& object, absl::string_view key) {
  if (!object.IsObject()) return nullptr;
  const rapidjson::Value* folded = nullptr;
  for (const auto& member : object.GetObject()) {
    const absl::string_view name = StringView(member.name);
    if (name == key) return &member.value;
    if (folded == nullptr && absl::EqualsIgnoreCase(name, key)) folded = &member.value;
  }
  return folded;
}

}  // namespace kepler::model::core
