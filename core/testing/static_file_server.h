// A tiny HTTP/1.1 static file server for tests (testonly).
//
// What: serves the files below one folder on 127.0.0.1 at an ephemeral port,
// like the reference's `tests/http_server.py` model-DB file server.
// Why: HTTP client and model-download tests should cross a real socket, with
// real status codes, slow answers and large bodies, without depending on a
// network or on a server binary being installed.
// How: Start() binds, listens and spawns an accept thread; each connection is
// handled on its own thread: one request, one response, then close
// (`Connection: close`, always with `Content-Length`). Routes:
//   GET  /<path>           the file `<root>/<path>`; 404 when missing or not
//                          a regular file, 400 for a `..` component
//   GET  /slow/<path>      the same file after waiting `Options::delay`
//   GET  /redirect/<path>  302 with `Location: /<path>`
//   POST /echo             200 echoing the request body and Content-Type
//   anything else          405
//
//   StaticFileServer::Options options;
//   options.root = dir;
//   ASSIGN_OR_RETURN(auto server, StaticFileServer::Start(options));
//   http->Get(server->Url("pipeline.zip"), FetchOptions());
//
// Thread-safety: all const methods may be called from any thread. The
// destructor stops accepting, cuts delays short and joins every thread.
#ifndef KEPLER_CORE_TESTING_STATIC_FILE_SERVER_H_
#define KEPLER_CORE_TESTING_STATIC_FILE_SERVER_H_

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace kepler::model::core::test_util {

// A loopback TCP port nobody listens on now (bound once to find it, then released): for a
// client that must fail against a server that is not up yet.
int UnusedLoopbackPort();

class StaticFileServer {
 public:
  struct Options {
    // Folder whose files are served. Required.
    std::string root;
    // How long requests below /slow/ wait before answering. Default 10 s.
    absl::Duration delay = absl::Seconds(10);
    // Port to listen on; 0 (default) picks a free one. Tests of clients that start before their
    // server pick a port, let the client fail against it, then start the server there.
    int port = 0;
  };

  // Starts serving `options.root` on 127.0.0.1 at options.port (or a free port).
  static absl::StatusOr<std::unique_ptr<StaticFileServer>> Start(
      const Options& options);

  // Stops the server and joins its threads; pending delays end at once.
  ~StaticFileServer();

  StaticFileServer(const StaticFileServer&) = delete;
  StaticFileServer& operator=(const StaticFileServer&) = delete;

  // The TCP port the server listens on.
  int port() const { return port_; }

  // "http://127.0.0.1:<port>/<path>"; a leading '/' in `path` is optional.
  std::string Url(absl::string_view path) const;

  // Number of requests answered or being answered so far.
  int request_count() const;

 private:
  StaticFileServer(Options options, int listen_fd, int port);

  void AcceptLoop();
  void Serve(int fd);
  // Waits `options_.delay` or until the destructor starts, whichever first.
  void Delay();

  const Options options_;
  const int listen_fd_;
  const int port_;
  int wake_pipe_[2] = {-1, -1};  // Written by the destructor to end accept.
  std::thread acceptor_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int requests_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::thread> workers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace kepler::model::core::test_util

#endif  // KEPLER_CORE_TESTING_STATIC_FILE_SERVER_H_
