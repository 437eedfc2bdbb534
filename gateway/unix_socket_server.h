// A Unix-domain stream socket server for one-request-per-connection JSON.
//
// What: listens on a filesystem socket path and, for every connection, reads
// one complete JSON value, hands it to a handler, writes the handler's reply
// in one write and closes the connection (docs/socket-framing.md).
// Why: it is the estimator sidecar's transport. Kepler opens a new connection
// per request, writes bare JSON with no terminator and no half-close, and
// reads the answer with a single read (spec/kepler-clients.md §2). Unlike the
// reference, connections are served concurrently, a stalled or empty client
// never blocks or kills the server, and request size and read time are
// bounded.
// How to use:
//   UnixSocketServer::Options options;
//   options.path = "/tmp/estimator.sock";
//   options.handler = [&](absl::string_view request) { return Reply(request);
//   }; options.error_reply = [](const absl::Status& s) { return LegacyError(s);
//   }; ASSIGN_OR_RETURN(auto server, UnixSocketServer::Create(options));
//   server->Wait();  // until another thread calls server->Stop()
//
// Per connection: bytes are read until JsonFramer reports a complete value
// (the handler gets exactly that value; later bytes are ignored), until the
// framer reports an error or the peer half-closes (the handler gets all bytes
// read so far, possibly none: it decides the error message). A request over
// max_request_bytes, or not complete within read_timeout, is answered with
// error_reply(ResourceExhausted / DeadlineExceeded) and the handler is not
// called.
//
// Thread-safety: handler and error_reply run on the I/O threads, possibly
// concurrently for different connections, so they must be thread-safe; a
// slow handler occupies one of `threads`. Stop() and Wait() may be called
// from any thread except an I/O thread (i.e. not from a handler).
#ifndef KEPLER_GATEWAY_UNIX_SOCKET_SERVER_H_
#define KEPLER_GATEWAY_UNIX_SOCKET_SERVER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace kepler::model::gateway {

class UnixSocketServer {
 public:
  struct Options {
    // Filesystem path of the socket (required; under 108 bytes). A stale
    // socket file there is replaced; any other kind of file is an error.
    std::string path;
    // Number of I/O threads serving all connections. Default 2.
    int threads = 2;
    // Largest accepted request in bytes. Default 16 MiB.
    size_t max_request_bytes = 16u << 20;
    // Time a client has, from connect, to send a complete request; also the
    // bound on writing the reply. Default 30 s.
    absl::Duration read_timeout = absl::Seconds(30);
    // How long Stop() waits for open connections to finish. Default 5 s.
    absl::Duration stop_timeout = absl::Seconds(5);
    // Turns one request (a complete JSON value, or whatever arrived before
    // end of stream or a framing error) into the reply text. Required. An
    // exception it throws becomes error_reply(Internal).
    std::function<std::string(absl::string_view request)> handler;
    // Turns a transport error (ResourceExhausted: too large,
    // DeadlineExceeded: too slow, Internal: the handler threw) into the reply
    // text. Default: status.ToString().
    std::function<std::string(const absl::Status& error)> error_reply;
  };

  // Removes a stale socket file at options.path, binds, listens and starts
  // serving. InvalidArgument for bad options, FailedPrecondition when the path
  // holds a non-socket file or a socket another server is listening on, or
  // the errno-derived status of a failed socket call.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<UnixSocketServer>> Create(
      const Options& options);

  // Stops the server (see Stop()).
  ~UnixSocketServer();

  UnixSocketServer(const UnixSocketServer&) = delete;
  UnixSocketServer& operator=(const UnixSocketServer&) = delete;

  // Stops accepting, lets open connections finish for up to stop_timeout,
  // then closes the rest, joins the I/O threads and removes the socket file
  // (if it is still the one this server created). Idempotent.
  void Stop();

  // Blocks until Stop() has completed.
  void Wait();

  // The socket path being served.
  const std::string& path() const;

 private:
  class Impl;
  explicit UnixSocketServer(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace kepler::model::gateway

#endif  // KEPLER_GATEWAY_UNIX_SOCKET_SERVER_H_
