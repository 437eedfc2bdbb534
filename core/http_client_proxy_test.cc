// With http_proxy set, plain http goes through libcurl, which sends it to the proxy: the
// built-in client knows no proxies. A one-shot fake proxy on loopback checks where the
// request went.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "core/http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

using ::testing::StartsWith;

TEST(HttpClientProxyTest, PlainHttpHonoursHttpProxy) {
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string proxy = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  ASSERT_EQ(setenv("http_proxy", proxy.c_str(), 1), 0);

  std::string request_seen;
  std::thread fake_proxy([&] {
    const int conn = accept(listener, nullptr, nullptr);
    if (conn < 0) return;
    char buf[4096];
    while (request_seen.find("\r\n\r\n") == std::string::npos) {
      const ssize_t n = read(conn, buf, sizeof(buf));
      if (n <= 0) break;
      request_seen.append(buf, n);
    }
    const std::string answer =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
        "Connection: close\r\n\r\nproxy";
    (void)write(conn, answer.data(), answer.size());
    close(conn);
  });

  std::unique_ptr<HttpClient> http = NewCurlHttpClient();
  FetchOptions options;
  options.timeout = absl::Seconds(10);
  absl::StatusOr<HttpResult> got = http->Get("http://models.invalid/pipeline.zip", options);
  fake_proxy.join();
  close(listener);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->body, "proxy");
  // A proxy request names the absolute URL.
  EXPECT_THAT(request_seen, StartsWith("GET http://models.invalid/pipeline.zip HTTP/1.1\r\n"));
}

}  // namespace
}  // namespace kepler::model::core
