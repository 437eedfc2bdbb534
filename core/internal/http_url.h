// http:// URLs for the built-in plain-HTTP client (plain_http.h).
//
// What: splits an http URL into host, port and request target, and resolves
// a redirect's Location header against the URL that answered it.
// Why: the request line and Host header are built from these parts, so
// anything that could break or smuggle a request (user info, line breaks,
// spaces, bad ports) is refused here, before a socket is opened.
// How:
//
//   ASSIGN_OR_RETURN(HttpUrl url, ParseHttpUrl("http://[::1]:8100/m?x=1"));
//   // url.host == "::1", url.port == 8100, url.target == "/m?x=1"
//   std::string next = ResolveLocation("http://h/a/b", "../c");  // http://h/c
//
// Thread-safety: pure functions and plain values.
#ifndef KEPLER_CORE_INTERNAL_HTTP_URL_H_
#define KEPLER_CORE_INTERNAL_HTTP_URL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kepler::model::core::internal {

// The parts of an http URL a request needs.
struct HttpUrl {
  // Host name or address; an IPv6 literal without its brackets.
  std::string host;
  // TCP port, 80 unless the URL names one.
  int port = 80;
  // Path and query as sent in the request line; at least "/". Bytes above
  // 0x7f are percent-encoded; the fragment is dropped.
  std::string target;

  // The Host header value: the host (bracketed when IPv6), plus ":<port>"
  // unless the port is 80.
  std::string HostHeader() const;
};

// Parses "http://host[:port][/path][?query][#fragment]" (scheme in any case).
// InvalidArgument, without the URL in the message, for another scheme, user
// information ("user@host"), an empty or invalid host, a port outside
// 1-65535, or spaces and control characters.
[[nodiscard]] absl::StatusOr<HttpUrl> ParseHttpUrl(absl::string_view url);

// The absolute URL that `location` (a Location header value) names, relative
// to `base`, an absolute http URL, as RFC 3986 section 5.2 resolves it ("."
// and ".." segments removed, fragment dropped). A `location` with a scheme is
// kept as it is, whatever the scheme: the caller decides what to follow.
std::string ResolveLocation(absl::string_view base, absl::string_view location);

}  // namespace kepler::model::core::internal

#endif  // KEPLER_CORE_INTERNAL_HTTP_URL_H_
