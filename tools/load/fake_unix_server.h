// A tiny threaded unix-socket server for the load tools' tests (testonly).
//
// What: listens on a fresh socket path under /tmp and serves every accepted
// connection on its own thread with a caller-supplied function; also the
// reading and writing helpers those functions need.
// Why: the load loop and the one-shot client are tested against real sockets
// without starting the real services.
// How to use:
//   FakeUnixServer server("name", [](int fd) { ...read, write... });
//   RunLoadLoop(... server.endpoint() ...);
// The connection is closed when the function returns. The destructor stops
// accepting and joins every connection thread.
//
// Thread-safety: accepted() may be read from any thread.
#ifndef KEPLER_TOOLS_LOAD_FAKE_UNIX_SERVER_H_
#define KEPLER_TOOLS_LOAD_FAKE_UNIX_SERVER_H_

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/string_view.h"
#include "tools/load/endpoint.h"

namespace kepler::model::tools::testing {

class FakeUnixServer {
 public:
  // `name` makes the socket path unique among servers of one test process.
  FakeUnixServer(absl::string_view name, std::function<void(int fd)> serve);
  ~FakeUnixServer();

  FakeUnixServer(const FakeUnixServer&) = delete;
  FakeUnixServer& operator=(const FakeUnixServer&) = delete;

  // unix:<path> of this server.
  Endpoint endpoint() const { return Endpoint{path_, "", 0}; }

  // Connections accepted so far.
  int accepted() const { return accepted_; }

 private:
  void AcceptAll();

  const std::string path_;
  const std::function<void(int)> serve_;
  int listener_ = -1;
  std::thread acceptor_;
  std::vector<std::thread> connections_;
  std::atomic<int> accepted_{0};
  std::atomic<bool> stopping_{false};
};

// Writes all of `bytes`, ignoring errors (the peer may have gone).
void WriteAll(int fd, absl::string_view bytes);

// Reads until `pending` holds `terminator`, then drops everything up to and
// including it. False at end of stream or on error.
bool ReadThrough(int fd, absl::string_view terminator, std::string* pending);

}  // namespace kepler::model::tools::testing

#endif  // KEPLER_TOOLS_LOAD_FAKE_UNIX_SERVER_H_
