// Built-in plain-HTTP client: blocking HTTP/1.1 requests over POSIX sockets.
//
// What: GET and POST to http:// URLs, without TLS. Parses the URL
// (http_url.h; IPv6 literals too), resolves the host with getaddrinfo and
// tries each address with a non-blocking connect bounded by the connect
// timeout, sends one request with `Connection: close`, and reads the response
// (http_response_reader.h) with every wait bounded by the request deadline.
// GETs follow redirects (301, 302, 303, 307, 308) between http URLs; one to
// https is handed back to the caller, which owns TLS.
// Why: plain http is how the estimator reaches the model server and the
// trainer reaches Prometheus. Serving it with libcurl mapped curl's TLS,
// Kerberos and LDAP dependencies into the process: ~9 MB resident in the
// estimator sidecar, whose budget is 20 MB.
// How: core/http_client.cc routes http:// here and https:// to libcurl:
//
//   PlainHttpRequest req;
//   req.url = "http://127.0.0.1:8100/model";
//   req.deadline = absl::Now() + absl::Seconds(30);
//   ASSIGN_OR_RETURN(PlainHttpResponse got, PlainHttpFetch(req));
//   if (!got.https_location.empty()) ...  // continue with the TLS client
//
// Errors follow core/http_client.h: InvalidArgument (bad URL, user info, bad
// port, method other than GET/POST, redirect to a scheme other than http(s)),
// DeadlineExceeded (connect timeout or deadline), Unavailable (unresolvable
// host, refused, reset, malformed or truncated response), ResourceExhausted
// (body over max_bytes), FailedPrecondition (too many redirects). Any HTTP
// status is a successful call. Messages start "<method> <url>: ".
// Name resolution (getaddrinfo) cannot be cancelled: it is bounded by the
// system resolver's own timeouts, not by the deadline.
//
// Thread-safety: PlainHttpFetch is safe to call from many threads at once;
// each call uses its own connection.
#ifndef KEPLER_CORE_INTERNAL_PLAIN_HTTP_H_
#define KEPLER_CORE_INTERNAL_PLAIN_HTTP_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace kepler::model::core::internal {

struct PlainHttpRequest {
  // "GET" or "POST".
  std::string method = "GET";
  // An http:// URL.
  std::string url;
  // POST only: the body and its Content-Type (omitted when empty). Viewed,
  // not copied: they must outlive the call.
  absl::string_view body;
  absl::string_view content_type;
  // End of the whole request, redirects included. Default: none.
  absl::Time deadline = absl::InfiniteFuture();
  // Limit on connecting, per request in a redirect chain. Default 5 s.
  absl::Duration connect_timeout = absl::Seconds(5);
  // Most body bytes accepted. Default 512 MiB.
  size_t max_bytes = size_t{512} << 20;
  // Most redirects a GET follows. Default 5.
  int max_redirects = 5;
};

struct PlainHttpResponse {
  // The final response; left empty when https_location is set.
  long status = 0;
  std::string content_type;
  std::string body;
  // Set when a GET was redirected to https: the absolute URL to fetch next.
  std::string https_location;
  // Redirects still allowed after those followed.
  int redirects_left = 0;
};

// Sends `request` and reads the response. See the file comment for errors.
[[nodiscard]] absl::StatusOr<PlainHttpResponse> PlainHttpFetch(
    const PlainHttpRequest& request);

}  // namespace kepler::model::core::internal

#endif  // KEPLER_CORE_INTERNAL_PLAIN_HTTP_H_
