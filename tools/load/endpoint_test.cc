#include "tools/load/endpoint.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace kepler::model::tools {
namespace {

TEST(ParseEndpointTest, HostAndPort) {
  auto endpoint = ParseEndpoint("127.0.0.1:8100");
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  EXPECT_EQ(endpoint->host, "127.0.0.1");
  EXPECT_EQ(endpoint->port, 8100);
  EXPECT_TRUE(endpoint->unix_path.empty());
  EXPECT_EQ(EndpointName(*endpoint), "127.0.0.1:8100");
}

TEST(ParseEndpointTest, UnixPath) {
  auto endpoint = ParseEndpoint("unix:/tmp/estimator.sock");
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  EXPECT_EQ(endpoint->unix_path, "/tmp/estimator.sock");
  EXPECT_EQ(EndpointName(*endpoint), "unix:/tmp/estimator.sock");
}

TEST(ParseEndpointTest, RejectsWhatIsNeither) {
  for (const char* bad : {"", "localhost", ":80", "host:0", "host:70000", "host:x", "unix:"}) {
    EXPECT_EQ(ParseEndpoint(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(ConnectTest, MissingUnixSocketIsUnavailable) {
  Endpoint endpoint;
  endpoint.unix_path = absl::StrCat("/tmp/kepler-endpoint-test-missing-", getpid(), ".sock");
  EXPECT_EQ(Connect(endpoint).status().code(), absl::StatusCode::kUnavailable);
}

TEST(ConnectTest, ConnectsToAListeningUnixSocket) {
  Endpoint endpoint;
  endpoint.unix_path = absl::StrCat("/tmp/kepler-endpoint-test-", getpid(), ".sock");
  unlink(endpoint.unix_path.c_str());
  int listener = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  endpoint.unix_path.copy(address.sun_path, sizeof(address.sun_path) - 1);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  auto fd = Connect(endpoint);
  ASSERT_TRUE(fd.ok()) << fd.status();
  close(*fd);
  close(listener);
  unlink(endpoint.unix_path.c_str());
}

TEST(ConnectTest, ConnectsToAListeningTcpPort) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  socklen_t length = sizeof(address);
  getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  Endpoint endpoint{"", "127.0.0.1", ntohs(address.sin_port)};
  auto fd = Connect(endpoint);
  ASSERT_TRUE(fd.ok()) << fd.status();
  close(*fd);
  close(listener);
}

}  // namespace
}  // namespace kepler::model::tools
