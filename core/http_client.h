// HTTP client: one interface for every outbound fetch the service makes.
//
// What: GET and POST of whole bodies from http://, https:// and file:// URLs
// and from plain local paths (no scheme), with bounded time and size.
// Why: model database URLs, the Prometheus API and the estimator's calls to
// the model server are all side effects; putting them behind `HttpClient`
// lets tests substitute a fake (STYLE.md habit 11), and keeps libcurl types
// out of every other module. Downloads are untrusted, so a response larger
// than `FetchOptions::max_bytes` is refused while it streams in.
// How: `NewCurlHttpClient()` returns the production implementation (despite
// its name, libcurl serves only https; see below); callers
// hold it as `HttpClient&` or `std::unique_ptr<HttpClient>`:
//
//   std::unique_ptr<HttpClient> http = NewCurlHttpClient();
//   absl::StatusOr<HttpResult> got = http->Get(url, FetchOptions());
//   if (!got.ok()) return got.status();       // transport failure
//   if (got->status != 200) ...               // HTTP answered, not OK
//
// Errors: an absl::Status error means no HTTP answer was obtained; any HTTP
// status (404, 500, ...) is a successful call carrying that status. Codes:
// DeadlineExceeded (timeout), Unavailable (refused, unresolvable, reset,
// TLS failure, malformed response), ResourceExhausted (body over
// max_bytes), NotFound (missing file:// or local file), InvalidArgument (bad
// URL or unsupported scheme), FailedPrecondition (https without libcurl
// installed, or too many redirects). Every message names the URL.
//
// Three paths, by scheme: file:// URLs and local paths are read directly;
// http:// goes through a small built-in HTTP/1.1 client over POSIX sockets
// (core/internal/plain_http.h); https:// goes through libcurl, which is not
// linked but loaded with dlopen on the first https request (or http redirect
// to https). So processes that only read files or speak plain http (the
// estimator fetching from the model server, the trainer querying
// Prometheus) never map libcurl and its TLS, Kerberos and LDAP dependencies
// (~9 MB resident). When http_proxy, HTTP_PROXY, all_proxy or ALL_PROXY is
// set, plain http goes through libcurl too, which applies them (and no_proxy).
//
// Thread-safety: implementations are safe to call from many threads at once.
#ifndef KEPLER_CORE_HTTP_CLIENT_H_
#define KEPLER_CORE_HTTP_CLIENT_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace kepler::model::core {

// A complete response.
struct HttpResult {
  // HTTP status code; 200 for a file:// URL or local path read successfully.
  long status = 0;
  // The Content-Type header, empty when absent (always empty for files).
  std::string content_type;
  // The whole body.
  std::string body;
};

// Bounds and policy for one request.
struct FetchOptions {
  // Whole-request limit, connection and redirects included.
  absl::Duration timeout = absl::Seconds(30);
  // Limit on establishing the connection (DNS, TCP, TLS).
  absl::Duration connect_timeout = absl::Seconds(5);
  // Most body bytes accepted; more aborts the transfer (ResourceExhausted).
  size_t max_bytes = size_t{512} << 20;  // 512 MiB
  // Verify the server's certificate and host name for https.
  bool verify_tls = true;
};

// Fetches whole bodies. See the file comment for schemes and error codes.
class HttpClient {
 public:
  virtual ~HttpClient();

  // GETs `url`: http(s)://, file://, or a local path without a scheme.
  // Redirects between http and https are followed (at most 5).
  [[nodiscard]] virtual absl::StatusOr<HttpResult> Get(
      const std::string& url, const FetchOptions& options) = 0;

  // POSTs `body` with header `Content-Type: <content_type>` to an http(s)
  // URL; InvalidArgument for other schemes. Redirects are not followed.
  [[nodiscard]] virtual absl::StatusOr<HttpResult> Post(
      const std::string& url, std::string body, std::string content_type,
      const FetchOptions& options) = 0;
};

// The body of a 200 answer; NotFound "HTTP 404" for a 404, Unavailable "HTTP <status>" for any
// other status, and a transport error unchanged. For callers that want only a successful body.
[[nodiscard]] absl::StatusOr<std::string> OkBody(absl::StatusOr<HttpResult> response);

// Returns the production client: built-in for http, libcurl for https. Each
// request uses its own connection (and libcurl easy handle), so one client
// may be shared by every thread; libcurl is loaded and its global state
// initialised once per process, on the first https request.
std::unique_ptr<HttpClient> NewCurlHttpClient();

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_HTTP_CLIENT_H_
