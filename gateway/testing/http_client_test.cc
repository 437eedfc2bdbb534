// Tests the test client's response parsing against canned server bytes.
#include "gateway/testing/http_client.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "gtest/gtest.h"

namespace kepler::model::gateway::testing {
namespace {

// Accepts one connection on loopback, reads the request head, answers with
// `reply` verbatim and closes.
class CannedServer {
 public:
  explicit CannedServer(std::string reply) : reply_(std::move(reply)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    listen(listen_fd_, 1);
    socklen_t len = sizeof(addr);
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~CannedServer() {
    Join();
    close(listen_fd_);
  }

  // Waits until the reply has been sent.
  void Join() {
    if (thread_.joinable()) thread_.join();
  }

  int port() const { return port_; }
  // The request head received; read it after Join().
  const std::string& request() const { return request_; }

 private:
  void Serve() {
    int fd = accept(listen_fd_, nullptr, nullptr);
    char buf[4096];
    ssize_t n;
    while (request_.find("\r\n\r\n") == std::string::npos &&
           (n = recv(fd, buf, sizeof(buf), 0)) > 0) {
      request_.append(buf, n);
    }
    send(fd, reply_.data(), reply_.size(), MSG_NOSIGNAL);
    close(fd);
  }

  std::string reply_;
  std::string request_;
  int listen_fd_;
  int port_;
  std::thread thread_;
};

TEST(HttpClientTest, ReadsContentLengthBody) {
  CannedServer server(
      "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
      "Content-Length: 7\r\nX-A:  b \r\n\r\n{\"a\":1}trailing");
  absl::StatusOr<HttpResponse> response =
      HttpPost("127.0.0.1", server.port(), "/model", "{}");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->content_type, "application/json");
  EXPECT_EQ(response->body, "{\"a\":1}");
  ASSERT_NE(response->FindHeader("x-a"), nullptr);
  EXPECT_EQ(*response->FindHeader("x-a"), "b");
}

TEST(HttpClientTest, GetSendsTargetHostAndNoLength) {
  CannedServer server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(HttpGet("localhost", server.port(), "/x?a=1").ok());
  server.Join();
  EXPECT_EQ(server.request().rfind("GET /x?a=1 HTTP/1.1\r\n", 0), 0u)
      << server.request();
  EXPECT_NE(server.request().find("\r\nHost: localhost:"), std::string::npos);
  EXPECT_EQ(server.request().find("Content-Length"), std::string::npos);
}

TEST(HttpClientTest, PostSendsLengthAndContentType) {
  CannedServer server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(HttpPost("127.0.0.1", server.port(), "/model", "body").ok());
  server.Join();
  EXPECT_EQ(server.request().rfind("POST /model HTTP/1.1\r\n", 0), 0u);
  EXPECT_NE(server.request().find("\r\nContent-Length: 4\r\n"),
            std::string::npos);
  EXPECT_NE(server.request().find("\r\nContent-Type: application/json\r\n"),
            std::string::npos);
}

TEST(HttpClientTest, ReadsChunkedBody) {
  CannedServer server(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\na;ext=1\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\n");
  absl::StatusOr<HttpResponse> response =
      HttpGet("127.0.0.1", server.port(), "/");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, "abc0123456789");
}

TEST(HttpClientTest, ReadsBodyUntilCloseWithoutLength) {
  CannedServer server("HTTP/1.0 200 OK\r\n\r\nuntil close");
  absl::StatusOr<HttpResponse> response =
      HttpGet("127.0.0.1", server.port(), "/");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, "until close");
  EXPECT_EQ(response->content_type, "");
}

TEST(HttpClientTest, SendSkipsInterimResponses) {
  CannedServer server(
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  absl::StatusOr<HttpResponse> response =
      HttpPost("127.0.0.1", server.port(), "/", "x");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "ok");
}

TEST(HttpClientTest, TruncatedResponseIsAnError) {
  CannedServer server("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
  EXPECT_FALSE(HttpGet("127.0.0.1", server.port(), "/").ok());
}

TEST(HttpClientTest, GarbageStatusLineIsAnError) {
  CannedServer server("SSH-2.0-OpenSSH\r\n\r\n");
  absl::StatusOr<HttpResponse> response =
      HttpGet("127.0.0.1", server.port(), "/");
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace kepler::model::gateway::testing
