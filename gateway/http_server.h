// A small asynchronous HTTP/1.1 server for the legacy JSON endpoints.
//
// What: serves registered (method, path) routes over HTTP/1.1 with keep-alive
// on a small thread pool. Requests reach handlers as plain HttpRequest values
// and handlers answer with HttpResponse values (http_message.h).
// Why: the model server (:8100) and the offline trainer (:8102) expose the
// reference's JSON endpoints (spec/reference-behaviour.md §2, §4). Boost.Beast
// does the protocol work; it is kept out of this header (pimpl) so the many
// files that register handlers compile without it.
// How to use:
//   HttpServer::Options options;
//   options.port = 8100;
//   options.routes.push_back({"POST", "/model", [&](const HttpRequest& r) {
//     return HandleModel(r); }});
//   ASSIGN_OR_RETURN(auto server, HttpServer::Create(std::move(options)));
//   server->Wait();  // until another thread calls server->Stop()
//
// Transport errors are answered by the server: unknown path 404, known path
// with another method 405 (with Allow), body over max_body_bytes 413 (sent as
// soon as the headers or the running body size show it, without reading the
// rest), malformed request 400, oversized headers 431, handler exception 500;
// these responses close the connection. Bodies are built by error_response.
// "Expect: 100-continue" is honoured.
//
// Thread-safety: handlers run on the I/O threads, concurrently for different
// connections, and must be thread-safe; a slow handler occupies one of
// `threads`. Stop(), Wait() and port() may be called from any thread but
// Stop() not from a handler.
#ifndef KEPLER_GATEWAY_HTTP_SERVER_H_
#define KEPLER_GATEWAY_HTTP_SERVER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gateway/http_message.h"

namespace kepler::model::gateway {

class HttpServer {
 public:
  // A handler for requests whose method and decoded path match exactly.
  struct Route {
    std::string method;  // e.g. "GET"; compared case-sensitively
    std::string path;    // e.g. "/best-models"; no query
    HttpHandler handler;
  };

  struct Options {
    // Address to bind. Default "0.0.0.0" (all IPv4 interfaces).
    std::string address = "0.0.0.0";
    // TCP port; 0 picks a free one (read it back with port()). Default 0.
    int port = 0;
    // Number of I/O threads serving all connections. Default 2.
    int threads = 2;
    // Largest accepted request body in bytes. Default 64 MiB.
    size_t max_body_bytes = 64u << 20;
    // Longest wait for the next request on a connection, and bound on reading
    // one request and writing its response. Default 60 s.
    absl::Duration idle_timeout = absl::Seconds(60);
    // How long Stop() waits for requests being handled. Default 5 s.
    absl::Duration stop_timeout = absl::Seconds(5);
    // The routes; a (method, path) pair may appear once.
    std::vector<Route> routes;
    // Builds the response for a transport error `status` (400, 404, 405,
    // 413, 431, 500) explained by `message`. The server adds Allow to 405.
    // Default: text/plain body `message`.
    std::function<HttpResponse(int status, absl::string_view message)>
        error_response;
  };

  // Binds, listens and starts serving. InvalidArgument for bad options
  // (unparsable address, duplicate route, missing handler), or the status of
  // a failed socket call (e.g. port in use).
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<HttpServer>> Create(
      Options options);

  // Stops the server (see Stop()).
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound TCP port (the chosen one when Options::port was 0).
  int port() const;

  // Stops accepting, lets requests being handled finish and their responses
  // be written for up to stop_timeout (answering them with
  // "Connection: close"), then closes every connection and joins the I/O
  // threads. Idempotent.
  void Stop();

  // Blocks until Stop() has completed.
  void Wait();

 private:
  class Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace kepler::model::gateway

#endif  // KEPLER_GATEWAY_HTTP_SERVER_H_
