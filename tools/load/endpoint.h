// Where a load driver connects: a TCP host and port, or a unix socket path.
//
// What: an Endpoint value, its parsing from the drivers' --target flag, and a
// blocking connect that returns a socket descriptor.
// Why: the HTTP driver, the socket driver and the first-answer timer all
// open connections the same way; TCP connections get TCP_NODELAY, as every
// HTTP client with small requests should.
// How to use:
//   ASSIGN_OR_RETURN(Endpoint e, ParseEndpoint("127.0.0.1:8100"));
//   ASSIGN_OR_RETURN(Endpoint u, ParseEndpoint("unix:/tmp/estimator.sock"));
//   ASSIGN_OR_RETURN(int fd, Connect(e));  // caller closes fd
//
// Thread-safety: free functions; safe to call concurrently.
#ifndef KEPLER_TOOLS_LOAD_ENDPOINT_H_
#define KEPLER_TOOLS_LOAD_ENDPOINT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kepler::model::tools {

struct Endpoint {
  // A unix socket path; when empty, host and port are used.
  std::string unix_path;
  // A numeric IPv4 address or a host name, and a TCP port.
  std::string host;
  int port = 0;
};

// "host:port" or "unix:/path". InvalidArgument otherwise.
[[nodiscard]] absl::StatusOr<Endpoint> ParseEndpoint(absl::string_view text);

// "host:port" or "unix:/path", as parsed.
std::string EndpointName(const Endpoint& endpoint);

// Opens a connected, blocking, close-on-exec stream socket; the caller owns
// it. Unavailable when nothing accepts (refused, missing socket file), else
// the errno-derived status of the failed call.
[[nodiscard]] absl::StatusOr<int> Connect(const Endpoint& endpoint);

}  // namespace kepler::model::tools

#endif  // KEPLER_TOOLS_LOAD_ENDPOINT_H_
