#include "gateway/http_message.h"

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace kepler::model::gateway {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

const std::string* FindField(const HttpFields& fields, absl::string_view name) {
  for (const auto& [field_name, value] : fields) {
    if (absl::EqualsIgnoreCase(field_name, name)) return &value;
  }
  return nullptr;
}

const std::string* HttpRequest::FindQuery(absl::string_view key) const {
  for (const auto& [name, value] : query) {
    if (name == key) return &value;
  }
  return nullptr;
}

std::string UrlDecode(absl::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 +
                                      HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

ParsedTarget ParseTarget(absl::string_view target) {
  target = target.substr(0, target.find('#'));
  size_t question = target.find('?');
  ParsedTarget parsed;
  parsed.path = UrlDecode(target.substr(0, question), /*plus_is_space=*/false);
  if (question == absl::string_view::npos) return parsed;
  for (absl::string_view pair :
       absl::StrSplit(target.substr(question + 1), '&', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    parsed.query.emplace_back(UrlDecode(kv.first, true),
                              UrlDecode(kv.second, true));
  }
  return parsed;
}

}  // namespace kepler::model::gateway
