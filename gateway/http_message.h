// Plain HTTP request and response values shared by the HTTP server, its
// handlers and the test client, plus URL decoding.
//
// What: HttpRequest and HttpResponse hold already-parsed, owned data (strings
// and vectors of name/value pairs), with case-insensitive header lookup.
// Why: handlers and the legacy-JSON translation code should see neither Boost
// nor the wire format, and compile without Boost headers (http_server.h keeps
// Beast in its .cc). Splitting the types out also lets the test client reuse
// them without linking the server.
// How: the server fills an HttpRequest per request and turns the handler's
// HttpResponse into the wire response (adding Content-Length and Connection).
//
// Thread-safety: plain values; the usual rules for const/non-const access.
#ifndef KEPLER_GATEWAY_HTTP_MESSAGE_H_
#define KEPLER_GATEWAY_HTTP_MESSAGE_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace kepler::model::gateway {

// Ordered name/value pairs: headers or query parameters. Repeats are kept.
using HttpFields = std::vector<std::pair<std::string, std::string>>;

// The value of the first field whose name equals `name` ignoring ASCII case,
// or nullptr. The pointer is valid while `fields` is unchanged.
const std::string* FindField(const HttpFields& fields, absl::string_view name);

struct HttpRequest {
  std::string method;  // as sent, e.g. "GET"
  std::string target;  // as sent, e.g. "/best-models?energy-source=rapl-sysfs"
  std::string path;    // target before '?', percent-decoded
  HttpFields query;    // query parameters in order, decoded ('+' is a space)
  HttpFields headers;  // as sent, in order
  std::string body;

  // The first header named `name` (ASCII case-insensitive), or nullptr.
  const std::string* FindHeader(absl::string_view name) const {
    return FindField(headers, name);
  }
  // The first query parameter named exactly `key`, or nullptr.
  const std::string* FindQuery(absl::string_view key) const;
};

struct HttpResponse {
  int status = 200;
  // Sent as the Content-Type header unless empty.
  std::string content_type = "application/json";
  // Extra headers (not Content-Type: use content_type). The server sets
  // Content-Length and Connection itself.
  HttpFields headers;
  std::string body;

  // The first header named `name` (ASCII case-insensitive), or nullptr.
  const std::string* FindHeader(absl::string_view name) const {
    return FindField(headers, name);
  }
};

// Answers one request. Used by the HTTP server's routes; an exception it
// throws is answered with 500 by the server.
using HttpHandler = std::function<HttpResponse(const HttpRequest& request)>;

// Decodes %XX escapes (and '+' as a space when `plus_is_space`, as in query
// strings). A '%' not followed by two hex digits is kept literally, as
// browsers and Python's urllib do.
std::string UrlDecode(absl::string_view text, bool plus_is_space);

// A request target split into its decoded path and query parameters.
struct ParsedTarget {
  std::string path;
  HttpFields query;
};

// Splits "/p?a=1&b&c=x%20y#frag" into path "/p" and {a:1, b:"", c:"x y"}.
// Empty parameters ("a=1&&b=2") are skipped; the fragment is dropped.
ParsedTarget ParseTarget(absl::string_view target);

}  // namespace kepler::model::gateway

#endif  // KEPLER_GATEWAY_HTTP_MESSAGE_H_
