#include "tools/load/endpoint.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace kepler::model::tools {
namespace {

absl::Status ConnectError(int error, const Endpoint& endpoint) {
  std::string message = absl::StrCat("connect ", EndpointName(endpoint), ": ", strerror(error));
  if (error == ECONNREFUSED || error == ENOENT) return absl::UnavailableError(message);
  return absl::ErrnoToStatus(error, message);
}

absl::StatusOr<int> ConnectUnix(const Endpoint& endpoint) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (endpoint.unix_path.size() >= sizeof(address.sun_path)) {
    return absl::InvalidArgumentError("unix socket path too long");
  }
  endpoint.unix_path.copy(address.sun_path, sizeof(address.sun_path) - 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::ErrnoToStatus(errno, "socket");
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    int error = errno;
    close(fd);
    return ConnectError(error, endpoint);
  }
  return fd;
}

absl::StatusOr<int> ConnectTcp(const Endpoint& endpoint) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::string port = absl::StrCat(endpoint.port);
  int rc = getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0) {
    return absl::UnavailableError(absl::StrCat("resolve ", endpoint.host, ": ", gai_strerror(rc)));
  }
  int fd = socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int error = fd < 0 ? errno : 0;
  if (fd >= 0 && connect(fd, found->ai_addr, found->ai_addrlen) != 0) {
    error = errno;
    close(fd);
  }
  freeaddrinfo(found);
  if (error != 0) return ConnectError(error, endpoint);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

}  // namespace

absl::StatusOr<Endpoint> ParseEndpoint(absl::string_view text) {
  Endpoint endpoint;
  if (absl::ConsumePrefix(&text, "unix:")) {
    if (text.empty()) return absl::InvalidArgumentError("unix: needs a socket path");
    endpoint.unix_path = std::string(text);
    return endpoint;
  }
  size_t colon = text.rfind(':');
  if (colon == absl::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(text.substr(colon + 1), &endpoint.port) || endpoint.port <= 0 ||
      endpoint.port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("target '", text, "' is neither host:port nor unix:/path"));
  }
  endpoint.host = std::string(text.substr(0, colon));
  return endpoint;
}

std::string EndpointName(const Endpoint& endpoint) {
  if (!endpoint.unix_path.empty()) return absl::StrCat("unix:", endpoint.unix_path);
  return absl::StrCat(endpoint.host, ":", endpoint.port);
}

absl::StatusOr<int> Connect(const Endpoint& endpoint) {
  return endpoint.unix_path.empty() ? ConnectTcp(endpoint) : ConnectUnix(endpoint);
}

}  // namespace kepler::model::tools
