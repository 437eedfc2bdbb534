#include "core/internal/http_url.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace kepler::model::core::internal {
namespace {

// Registered names as DNS and /etc/hosts use them; no percent-encoding.
bool IsHostName(absl::string_view host) {
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_';
  });
}

absl::Status ParsePort(absl::string_view text, int& port) {
  if (text.empty()) return absl::OkStatus();  // "host:" means the default.
  bool digits = text.size() <= 5 &&
                std::all_of(text.begin(), text.end(), absl::ascii_isdigit);
  if (!digits || !absl::SimpleAtoi(text, &port) || port < 1 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad port \"", absl::CHexEscape(text), "\""));
  }
  return absl::OkStatus();
}

absl::Status ParseAuthority(absl::string_view authority, HttpUrl& url) {
  if (absl::StrContains(authority, '@')) {
    return absl::InvalidArgumentError("user information in URLs is not supported");
  }
  absl::string_view port;
  if (absl::ConsumePrefix(&authority, "[")) {
    size_t close = authority.find(']');
    url.host = std::string(authority.substr(0, close));
    in6_addr address;
    absl::string_view after = close == absl::string_view::npos
                                  ? absl::string_view()
                                  : authority.substr(close + 1);
    if (close == absl::string_view::npos ||
        ::inet_pton(AF_INET6, url.host.c_str(), &address) != 1 ||
        !(after.empty() || absl::ConsumePrefix(&after, ":"))) {
      return absl::InvalidArgumentError("bad IPv6 address literal");
    }
    port = after;
  } else {
    size_t colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (!IsHostName(url.host)) return absl::InvalidArgumentError("bad host name");
    if (colon != absl::string_view::npos) port = authority.substr(colon + 1);
  }
  return ParsePort(port, url.port);
}

// Request-line safe: no spaces or controls; other bytes above 0x7f escaped.
absl::StatusOr<std::string> EncodeTarget(absl::string_view target) {
  std::string out = target.empty() || target[0] != '/' ? "/" : "";
  for (char c : target) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) {
      return absl::InvalidArgumentError("space or control character in URL");
    }
    if (u < 0x80) {
      out.push_back(c);
    } else {
      constexpr char kHex[] = "0123456789ABCDEF";
      out.append({'%', kHex[u >> 4], kHex[u & 0xf]});
    }
  }
  return out;
}

// "scheme:" before any '/', '?' or '#' (RFC 3986 section 3.1).
bool HasScheme(absl::string_view ref) {
  size_t colon = ref.find(':');
  if (colon == 0 || colon == absl::string_view::npos ||
      !absl::ascii_isalpha(ref[0])) {
    return false;
  }
  return std::all_of(ref.begin(), ref.begin() + colon, [](char c) {
    return absl::ascii_isalnum(c) || c == '+' || c == '-' || c == '.';
  });
}

// RFC 3986 section 5.2.4 on the path of `target` ("/a/./b/../c?q" -> "/a/c?q").
std::string RemoveDotSegments(absl::string_view target) {
  size_t query = std::min(target.find('?'), target.size());
  std::vector<absl::string_view> in =
      absl::StrSplit(target.substr(1, query - 1), '/');
  std::vector<absl::string_view> out;
  for (size_t i = 0; i < in.size(); ++i) {
    bool dots = in[i] == "." || in[i] == "..";
    if (in[i] == ".." && !out.empty()) out.pop_back();
    if (!dots) out.push_back(in[i]);
    if (dots && i + 1 == in.size()) out.push_back("");  // "/a/.." is "/"-ended.
  }
  return absl::StrCat("/", absl::StrJoin(out, "/"), target.substr(query));
}

}  // namespace

std::string HttpUrl::HostHeader() const {
  bool ipv6 = absl::StrContains(host, ':');
  return absl::StrCat(ipv6 ? "[" : "", host, ipv6 ? "]" : "",
                      port == 80 ? "" : absl::StrCat(":", port));
}

absl::StatusOr<HttpUrl> ParseHttpUrl(absl::string_view url) {
  size_t separator = url.find("://");
  if (separator == absl::string_view::npos ||
      !absl::EqualsIgnoreCase(url.substr(0, separator), "http")) {
    return absl::InvalidArgumentError("not an http:// URL");
  }
  absl::string_view rest = url.substr(separator + 3);
  rest = rest.substr(0, rest.find('#'));
  size_t path = std::min(rest.find_first_of("/?"), rest.size());
  HttpUrl parsed;
  absl::Status authority = ParseAuthority(rest.substr(0, path), parsed);
  if (!authority.ok()) return authority;
  absl::StatusOr<std::string> target = EncodeTarget(rest.substr(path));
  if (!target.ok()) return target.status();
  parsed.target = *std::move(target);
  return parsed;
}

std::string ResolveLocation(absl::string_view base, absl::string_view location) {
  location = absl::StripAsciiWhitespace(location);
  location = location.substr(0, location.find('#'));
  if (HasScheme(location)) return std::string(location);
  size_t authority = base.find("://") + 3;
  if (absl::StartsWith(location, "//")) {
    return absl::StrCat(base.substr(0, authority - 3), ":", location);
  }
  size_t path = std::min(base.find_first_of("/?#", authority), base.size());
  absl::string_view origin = base.substr(0, path);
  absl::string_view target = base.substr(path);
  target = target.substr(0, target.find('#'));
  absl::string_view base_path = target.substr(0, target.find('?'));
  if (base_path.empty()) base_path = "/";
  if (location.empty()) return absl::StrCat(origin, target.empty() ? "/" : target);
  if (location[0] == '?') return absl::StrCat(origin, base_path, location);
  if (location[0] == '/') return absl::StrCat(origin, RemoveDotSegments(location));
  absl::string_view directory = base_path.substr(0, base_path.rfind('/') + 1);
  return absl::StrCat(origin,
                      RemoveDotSegments(absl::StrCat(directory, location)));
}

}  // namespace kepler::model::core::internal
