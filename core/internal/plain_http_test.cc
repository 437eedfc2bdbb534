// Tests for the built-in plain-HTTP client against a scripted raw-socket
// server on loopback: the server writes exactly the bytes a test gives it, so
// framing, limits and malformed answers can be exercised byte by byte.
#include "core/internal/plain_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "core/internal/http_response_reader.h"
#include "core/internal/http_url.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core::internal {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// What the server does on one connection once it has read the request.
struct Reply {
  // Written in order, `pause` apart; the connection is closed afterwards.
  std::vector<std::string> writes;
  absl::Duration pause = absl::ZeroDuration();
  // Keep the connection open, sending nothing more, until the server stops.
  bool stall = false;
};

Reply Bytes(std::string bytes) { return Reply{{std::move(bytes)}}; }

// Answers the i-th connection with replies[i] (the last one repeats), one
// connection at a time, and records each request (head and body).
class ScriptedServer {
 public:
  // Listens on 127.0.0.1 or [::1]; nullptr when that family is unavailable.
  static std::unique_ptr<ScriptedServer> Start(std::vector<Reply> replies,
                                               int family = AF_INET) {
    int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_storage addr{};
    socklen_t len = family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
    if (family == AF_INET) {
      reinterpret_cast<sockaddr_in&>(addr).sin_family = AF_INET;
      reinterpret_cast<sockaddr_in&>(addr).sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    } else {
      reinterpret_cast<sockaddr_in6&>(addr).sin6_family = AF_INET6;
      reinterpret_cast<sockaddr_in6&>(addr).sin6_addr = in6addr_loopback;
    }
    auto* sa = reinterpret_cast<sockaddr*>(&addr);
    if (fd < 0 || ::bind(fd, sa, len) != 0 || ::listen(fd, 8) != 0 ||
        ::getsockname(fd, sa, &len) != 0) {
      if (fd >= 0) ::close(fd);
      return nullptr;
    }
    int port = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in&>(addr).sin_port
                                       : reinterpret_cast<sockaddr_in6&>(addr).sin6_port);
    std::string host = family == AF_INET ? "127.0.0.1" : "[::1]";
    return std::unique_ptr<ScriptedServer>(
        new ScriptedServer(std::move(replies), fd, absl::StrCat(host, ":", port)));
  }

  ~ScriptedServer() {
    stop_.Notify();
    thread_.join();
    ::close(listen_fd_);
  }

  // "http://<host:port><path>".
  std::string Url(absl::string_view path) const {
    return absl::StrCat("http://", authority_, path);
  }

  std::vector<std::string> requests() const {
    absl::MutexLock lock(&mu_);
    return requests_;
  }

 private:
  ScriptedServer(std::vector<Reply> replies, int fd, std::string authority)
      : replies_(std::move(replies)),
        listen_fd_(fd),
        authority_(std::move(authority)),
        thread_([this] { Run(); }) {}

  void Run() {
    for (size_t i = 0; !stop_.HasBeenNotified();) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      Serve(fd, replies_[std::min(i++, replies_.size() - 1)]);
      ::close(fd);
    }
  }

  void Serve(int fd, const Reply& reply) {
    std::string request = ReadRequest(fd);
    {
      absl::MutexLock lock(&mu_);
      requests_.push_back(request);
    }
    for (size_t i = 0; i < reply.writes.size(); ++i) {
      if (i > 0) absl::SleepFor(reply.pause);
      ::send(fd, reply.writes[i].data(), reply.writes[i].size(), MSG_NOSIGNAL);
    }
    if (reply.stall) stop_.WaitForNotificationWithTimeout(absl::Seconds(30));
  }

  // The head up to the blank line, then Content-Length bytes of body.
  static std::string ReadRequest(int fd) {
    std::string data;
    char buf[4096];
    size_t head_end = std::string::npos;
    size_t want = 0;
    while (head_end == std::string::npos || data.size() < head_end + 4 + want) {
      ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
      if (n <= 0) break;
      data.append(buf, static_cast<size_t>(n));
      if (head_end != std::string::npos) continue;
      head_end = data.find("\r\n\r\n");
      std::string lower = absl::AsciiStrToLower(data.substr(0, head_end));
      size_t at = lower.find("\r\ncontent-length: ");
      if (at != std::string::npos) {
        size_t end = lower.find("\r\n", at + 2);
        (void)absl::SimpleAtoi(lower.substr(at + 18, end - at - 18), &want);
      }
    }
    return data;
  }

  const std::vector<Reply> replies_;
  const int listen_fd_;
  const std::string authority_;
  absl::Notification stop_;
  mutable absl::Mutex mu_;
  std::vector<std::string> requests_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;  // Last: starts once the members above exist.
};

PlainHttpRequest Get(const std::string& url) {
  PlainHttpRequest req;
  req.url = url;
  req.deadline = absl::Now() + absl::Seconds(10);
  return req;
}

// Expects an error with `code` whose message names `url`.
void ExpectError(const absl::StatusOr<PlainHttpResponse>& got,
                 absl::StatusCode code, const std::string& url,
                 const std::string& detail = "") {
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), code) << got.status();
  EXPECT_THAT(std::string(got.status().message()), HasSubstr(url));
  EXPECT_THAT(std::string(got.status().message()), HasSubstr(detail));
}

TEST(PlainHttpTest, GetSendsHeadersAndReadsContentLengthBody) {
  auto server = ScriptedServer::Start({Bytes(
      "HTTP/1.1 200 OK\r\ncontent-TYPE:  application/json \r\n"
      "Content-Length: 9\r\n\r\n{\"hi\": 1}")});
  ASSERT_NE(server, nullptr);
  absl::StatusOr<PlainHttpResponse> got = PlainHttpFetch(Get(server->Url("/m?a=1")));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->content_type, "application/json");
  EXPECT_EQ(got->body, "{\"hi\": 1}");
  ASSERT_EQ(server->requests().size(), 1u);
  std::string request = server->requests()[0];
  EXPECT_THAT(request, StartsWith("GET /m?a=1 HTTP/1.1\r\n"));
  EXPECT_THAT(request, HasSubstr("\r\nHost: 127.0.0.1:"));
  EXPECT_THAT(request, HasSubstr("\r\nUser-Agent: kepler-model/"));
  EXPECT_THAT(request, HasSubstr("\r\nConnection: close\r\n"));
  EXPECT_THAT(request, HasSubstr("\r\nAccept-Encoding: identity\r\n"));
}

TEST(PlainHttpTest, PostSendsBodyAndIsNotRedirected) {
  auto server = ScriptedServer::Start({Bytes(
      "HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n")});
  ASSERT_NE(server, nullptr);
  PlainHttpRequest req = Get(server->Url("/model"));
  req.method = "POST";
  req.body = "{\"a\":1}";
  req.content_type = "application/json";
  absl::StatusOr<PlainHttpResponse> got = PlainHttpFetch(req);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->status, 302);
  ASSERT_EQ(server->requests().size(), 1u);
  std::string request = server->requests()[0];
  EXPECT_THAT(request, StartsWith("POST /model HTTP/1.1\r\n"));
  EXPECT_THAT(request, HasSubstr("\r\nContent-Type: application/json\r\n"));
  EXPECT_THAT(request, HasSubstr("\r\nContent-Length: 7\r\n"));
  EXPECT_THAT(request, ::testing::EndsWith("\r\n\r\n{\"a\":1}"));
}

TEST(PlainHttpTest, ChunkedBodySplitAcrossWritesWithExtensionsAndTrailers) {
  Reply reply;
  reply.writes = {
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=val\r\nhel",
      "lo\r\n6 ; x\r", "\n world\r\n0\r\nX-Checksum: abc\r\n", "\r\n"};
  reply.pause = absl::Milliseconds(20);
  auto server = ScriptedServer::Start({reply});
  ASSERT_NE(server, nullptr);
  absl::StatusOr<PlainHttpResponse> got = PlainHttpFetch(Get(server->Url("/c")));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->body, "hello world");
}

TEST(PlainHttpTest, BodyWithoutLengthIsReadUntilClose) {
  Reply reply;
  reply.writes = {"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello ",
                  "world"};
  reply.pause = absl::Milliseconds(20);
  auto server = ScriptedServer::Start({reply});
  ASSERT_NE(server, nullptr);
  absl::StatusOr<PlainHttpResponse> got = PlainHttpFetch(Get(server->Url("/")));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->content_type, "text/plain");
  EXPECT_EQ(got->body, "hello world");
}

TEST(PlainHttpTest, InterimContinueResponseIsSkipped) {
  auto server = ScriptedServer::Start({Bytes(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")});
  ASSERT_NE(server, nullptr);
  absl::StatusOr<PlainHttpResponse> got = PlainHttpFetch(Get(server->Url("/")));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->status, 201);
  EXPECT_EQ(got->body, "ok");
}

TEST(PlainHttpTest, OversizedHeaderSectionOrLineIsUnavailable) {
  std::string many = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; i < 100; ++i) {
    absl::StrAppend(&many, "X-Pad-", i, ": ", std::string(1000, 'a'), "\r\n");
  }
  std::string long_line = absl::StrCat("HTTP/1.1 200 OK\r\nX-Long: ",
                                       std::string(kMaxLineBytes, 'b'), "\r\n\r\n");
  auto server = ScriptedServer::Start({Bytes(many + "\r\n"), Bytes(long_line)});
  ASSERT_NE(server, nullptr);
  std::string url = server->Url("/h");
  ExpectError(PlainHttpFetch(Get(url)), absl::StatusCode::kUnavailable, url,
              "header section larger than 65536 bytes");
  ExpectError(PlainHttpFetch(Get(url)), absl::StatusCode::kUnavailable, url,
              "line longer than 8192 bytes");
}

TEST(PlainHttpTest, BodyOverMaxBytesIsResourceExhausted) {
  std::string chunks = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i) absl::StrAppend(&chunks, "8\r\n", std::string(8, 'c'), "\r\n");
  auto server = ScriptedServer::Start(
      {Bytes("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'x')),
       Bytes(chunks + "0\r\n\r\n"),
       Bytes("HTTP/1.1 200 OK\r\n\r\n" + std::string(100, 'x')),
       Bytes("HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n" + std::string(20, 'x'))});
  ASSERT_NE(server, nullptr);
  PlainHttpRequest req = Get(server->Url("/big"));
  req.max_bytes = 20;
  for (const char* framing : {"Content-Length", "chunks", "close"}) {
    SCOPED_TRACE(framing);
    ExpectError(PlainHttpFetch(req), absl::StatusCode::kResourceExhausted, req.url,
                "larger than 20 bytes");
  }
  absl::StatusOr<PlainHttpResponse> exact = PlainHttpFetch(req);
  ASSERT_TRUE(exact.ok()) << exact.status();
  EXPECT_EQ(exact->body.size(), 20u);
}

TEST(PlainHttpTest, StalledServerIsDeadlineExceeded) {
  Reply reply = Bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
  reply.stall = true;
  auto server = ScriptedServer::Start({reply});
  ASSERT_NE(server, nullptr);
  PlainHttpRequest req = Get(server->Url("/slow"));
  absl::Time start = absl::Now();
  req.deadline = start + absl::Milliseconds(200);
  ExpectError(PlainHttpFetch(req), absl::StatusCode::kDeadlineExceeded, req.url);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

TEST(PlainHttpTest, MalformedOrTruncatedResponseIsUnavailable) {
  auto server = ScriptedServer::Start(
      {Bytes("SSH-2.0-OpenSSH_9.2\r\n\r\n"), Bytes(""),
       Bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"),
       Bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
       Bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")});
  ASSERT_NE(server, nullptr);
  std::string url = server->Url("/bad");
  ExpectError(PlainHttpFetch(Get(url)), absl::StatusCode::kUnavailable, url,
              "bad status line");
  ExpectError(PlainHttpFetch(Get(url)), absl::StatusCode::kUnavailable, url,
              "empty reply");
  ExpectError(PlainHttpFetch(Get(url)), absl::StatusCode::kUnavailable, url,
              "7 bytes before the end of the body");
  ExpectError(PlainHttpFetch(Get(url)), absl::StatusCode::kUnavailable, url,
              "bad chunk size");
  ExpectError(PlainHttpFetch(Get(url)), absl::StatusCode::kUnavailable, url,
              "bad Content-Length");
}

TEST(PlainHttpTest, RelativeRedirectIsResolvedAndFollowed) {
  auto server = ScriptedServer::Start(
      {Bytes("HTTP/1.1 302 Found\r\nLocation: ../b/final?x=1\r\n"
             "Content-Length: 3\r\n\r\nabc"),
       Bytes("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone")});
  ASSERT_NE(server, nullptr);
  absl::StatusOr<PlainHttpResponse> got =
      PlainHttpFetch(Get(server->Url("/a/start")));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->body, "done");
  EXPECT_EQ(got->redirects_left, 4);
  ASSERT_EQ(server->requests().size(), 2u);
  EXPECT_THAT(server->requests()[1], StartsWith("GET /b/final?x=1 HTTP/1.1\r\n"));
}

TEST(PlainHttpTest, RedirectToHttpsIsHandedBack) {
  auto server = ScriptedServer::Start({Bytes(
      "HTTP/1.1 301 Moved\r\nLocation: https://example.invalid/m#top\r\n\r\n")});
  ASSERT_NE(server, nullptr);
  absl::StatusOr<PlainHttpResponse> got = PlainHttpFetch(Get(server->Url("/m")));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->https_location, "https://example.invalid/m");
  EXPECT_EQ(got->redirects_left, 4);
  EXPECT_EQ(got->status, 0);
}

TEST(PlainHttpTest, RedirectLoopOrToFileIsRefused) {
  auto server = ScriptedServer::Start(
      {Bytes("HTTP/1.1 307 Temporary\r\nLocation: file:///etc/passwd\r\n\r\n"),
       Bytes("HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n")});
  ASSERT_NE(server, nullptr);
  std::string url = server->Url("/start");
  ExpectError(PlainHttpFetch(Get(url)), absl::StatusCode::kInvalidArgument, url,
              "file:///etc/passwd");
  ExpectError(PlainHttpFetch(Get(url)), absl::StatusCode::kFailedPrecondition, url,
              "more than 5 redirects");
  EXPECT_EQ(server->requests().size(), 1u + 6u);
}

TEST(PlainHttpTest, Ipv6LoopbackLiteral) {
  auto server = ScriptedServer::Start(
      {Bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nv6")}, AF_INET6);
  if (server == nullptr) GTEST_SKIP() << "no IPv6 loopback on this machine";
  absl::StatusOr<PlainHttpResponse> got = PlainHttpFetch(Get(server->Url("/six")));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->body, "v6");
  EXPECT_THAT(server->requests()[0], HasSubstr("\r\nHost: [::1]:"));
}

TEST(PlainHttpTest, BadUrlOrMethodIsInvalidArgument) {
  for (const char* url :
       {"http://user:pw@127.0.0.1/", "http://127.0.0.1:0/", "http://127.0.0.1:65536/",
        "http://127.0.0.1:8x/", "http://[::1/", "https://127.0.0.1/"}) {
    ExpectError(PlainHttpFetch(Get(url)), absl::StatusCode::kInvalidArgument, url);
  }
  PlainHttpRequest req = Get("http://127.0.0.1:1/");
  req.method = "DELETE";
  ExpectError(PlainHttpFetch(req), absl::StatusCode::kInvalidArgument, req.url);
}

TEST(HttpUrlTest, ParsesHostPortAndTarget) {
  absl::StatusOr<HttpUrl> url = ParseHttpUrl("HTTP://Host.example:8080/a/b?c=d#frag");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->host, "Host.example");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->target, "/a/b?c=d");
  EXPECT_EQ(url->HostHeader(), "Host.example:8080");
  url = ParseHttpUrl("http://h?q=1");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->port, 80);
  EXPECT_EQ(url->target, "/?q=1");
  EXPECT_EQ(url->HostHeader(), "h");
  url = ParseHttpUrl("http://[::1]:9/x/\xC3\xA9");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->target, "/x/%C3%A9");
  EXPECT_EQ(url->HostHeader(), "[::1]:9");
}

TEST(HttpUrlTest, RejectsWhatARequestLineCannotCarry) {
  for (const char* url :
       {"ftp://h/", "http://u@h/", "http://h:0/", "http://h:99999/", "http://h:-1/",
        "http://[zz]/", "http://[::1]x/", "http:///x", "http://h/a b",
        "http://h/a\r\nX-Injected: 1", "http://h\r\n/"}) {
    absl::StatusOr<HttpUrl> parsed = ParseHttpUrl(url);
    EXPECT_FALSE(parsed.ok()) << url;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << url;
  }
}

TEST(HttpUrlTest, ResolvesLocationsAsRfc3986) {
  const std::string base = "http://h:1/a/b/c?q#f";
  EXPECT_EQ(ResolveLocation(base, "d"), "http://h:1/a/b/d");
  EXPECT_EQ(ResolveLocation(base, "../x?y"), "http://h:1/a/x?y");
  EXPECT_EQ(ResolveLocation(base, "../../../x"), "http://h:1/x");
  EXPECT_EQ(ResolveLocation(base, "./"), "http://h:1/a/b/");
  EXPECT_EQ(ResolveLocation(base, "/y/./z"), "http://h:1/y/z");
  EXPECT_EQ(ResolveLocation(base, "?r"), "http://h:1/a/b/c?r");
  EXPECT_EQ(ResolveLocation(base, "//o:2/z"), "http://o:2/z");
  EXPECT_EQ(ResolveLocation(base, " https://s/t#f "), "https://s/t");
  EXPECT_EQ(ResolveLocation(base, ""), "http://h:1/a/b/c?q");
  EXPECT_EQ(ResolveLocation("http://h", "x"), "http://h/x");
}

}  // namespace
}  // namespace kepler::model::core::internal
