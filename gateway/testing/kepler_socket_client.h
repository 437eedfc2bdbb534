// Kepler's estimator-sidecar client, for integration tests of the unix socket.
//
// What: connects to the socket, writes the request (optionally half-closes), reads once at most
// 4096 bytes and closes, exactly as Kepler v0.7-v0.9 does (kepler-clients.md §2).
// Why: tests must decode answers the way Kepler does; an answer that does not fit one 4096-byte
// read is a failure they have to see.
// Thread-safety: reentrant.
#ifndef KEPLER_GATEWAY_TESTING_KEPLER_SOCKET_CLIENT_H_
#define KEPLER_GATEWAY_TESTING_KEPLER_SOCKET_CLIENT_H_

#include <string>

namespace kepler::model::gateway::testing {

// The bytes of the single read, "" when none came, or "connect failed".
std::string KeplerCall(const std::string& socket_path, const std::string& request,
                       bool half_close = false);

}  // namespace kepler::model::gateway::testing

#endif  // KEPLER_GATEWAY_TESTING_KEPLER_SOCKET_CLIENT_H_
