// A tiny blocking HTTP/1.1 client for tests.
//
// What: opens a TCP connection, sends requests (or raw bytes) and reads
// responses into HttpResponse values (status, Content-Type, headers, body).
// Why: tests of the HTTP server and integration tests of the binaries need a
// client that talks real sockets on loopback, can send malformed or partial
// requests, and keeps a connection open for keep-alive. It uses plain POSIX
// sockets, not Beast, so it checks the server independently and compiles
// fast.
// How to use:
//   ASSIGN_OR_RETURN(HttpResponse r,
//                    HttpPost("127.0.0.1", port, "/model", body));
//   ASSIGN_OR_RETURN(auto conn, HttpConnection::Connect("127.0.0.1", port));
//   conn->Send("GET", "/metrics", "", "");  // twice on one connection
// Bodies are read by Content-Length, chunked transfer coding, or until the
// server closes. Every socket read and write has a timeout.
//
// Thread-safety: an HttpConnection is used by one thread at a time; the free
// functions are safe to call concurrently.
#ifndef KEPLER_GATEWAY_TESTING_HTTP_CLIENT_H_
#define KEPLER_GATEWAY_TESTING_HTTP_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gateway/http_message.h"

namespace kepler::model::gateway::testing {

class HttpConnection {
 public:
  // Connects to `host` (a name or numeric address) and `port`. `timeout`
  // bounds connecting and every later read and write.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<HttpConnection>> Connect(
      const std::string& host, int port,
      absl::Duration timeout = absl::Seconds(30));

  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends `method target` with Host and Content-Length (and Content-Type
  // unless empty) plus `extra_headers` (complete lines, each ending in
  // "\r\n"), then reads the response, skipping 1xx interim responses.
  [[nodiscard]] absl::StatusOr<HttpResponse> Send(
      absl::string_view method, absl::string_view target,
      absl::string_view body, absl::string_view content_type,
      absl::string_view extra_headers = "");

  // Writes `bytes` as they are.
  [[nodiscard]] absl::Status SendRaw(absl::string_view bytes);

  // Reads the next response, 1xx included.
  [[nodiscard]] absl::StatusOr<HttpResponse> ReadResponse();

  // Whether the server has closed its side (a read returned end of stream).
  // Reads until then if nothing is buffered: true once closed, false if
  // unread bytes arrive or the timeout passes.
  bool PeerClosed();

 private:
  HttpConnection(int fd, std::string host) : fd_(fd), host_(std::move(host)) {}

  absl::Status ReadMore();  // appends to buffer_; OutOfRange at end of stream
  absl::StatusOr<std::string> ReadLine();
  absl::Status ReadExactly(size_t n, std::string* out);
  absl::Status ReadChunked(std::string* out);
  absl::Status ReadBody(HttpResponse* response);

  int fd_;
  std::string host_;
  std::string buffer_;  // received, not yet parsed
  bool eof_ = false;
};

// One request on a fresh connection ("Connection: close").
[[nodiscard]] absl::StatusOr<HttpResponse> HttpGet(const std::string& host,
                                                   int port,
                                                   const std::string& target);

[[nodiscard]] absl::StatusOr<HttpResponse> HttpPost(
    const std::string& host, int port, const std::string& path,
    absl::string_view body,
    absl::string_view content_type = "application/json");

}  // namespace kepler::model::gateway::testing

#endif  // KEPLER_GATEWAY_TESTING_HTTP_CLIENT_H_
