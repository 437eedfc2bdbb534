#include "tools/load/load_loop.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tools/load/estimator_reply_reader.h"
#include "tools/load/http_reply_reader.h"

namespace kepler::model::tools {
namespace {

// A unix-socket server on its own threads. Each connection is served by
// `serve(fd)`, which returns when the connection is done; the fd is then closed.
class FakeServer {
 public:
  FakeServer(std::string name, std::function<void(int)> serve)
      : path_(absl::StrCat("/tmp/kepler-load-", name, "-", getpid(), ".sock")),
        serve_(std::move(serve)) {
    unlink(path_.c_str());
    listener_ = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path_.copy(address.sun_path, sizeof(address.sun_path) - 1);
    bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    listen(listener_, 64);
    acceptor_ = std::thread([this] { AcceptAll(); });
  }

  ~FakeServer() {
    shutdown(listener_, SHUT_RDWR);
    acceptor_.join();
    for (std::thread& t : connections_) t.join();
    close(listener_);
    unlink(path_.c_str());
  }

  Endpoint endpoint() const { return Endpoint{path_, "", 0}; }
  int accepted() const { return accepted_; }

 private:
  void AcceptAll() {
    for (;;) {
      int fd = accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      ++accepted_;
      connections_.emplace_back([this, fd] {
        serve_(fd);
        close(fd);
      });
    }
  }

  std::string path_;
  std::function<void(int)> serve_;
  int listener_;
  std::thread acceptor_;
  std::vector<std::thread> connections_;
  std::atomic<int> accepted_{0};
};

void WriteAll(int fd, absl::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    bytes.remove_prefix(n);
  }
}

// Reads until `bytes` has grown by a request ending in `terminator`; false at end of stream.
bool ReadRequest(int fd, absl::string_view terminator, std::string* bytes) {
  char buffer[4096];
  while (bytes->find(terminator) == std::string::npos) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n <= 0) return false;
    bytes->append(buffer, n);
  }
  bytes->erase(0, bytes->find(terminator) + terminator.size());
  return true;
}

// The estimator's protocol: one JSON request, one reply, close.
void EstimatorLike(int fd) {
  std::string request;
  if (ReadRequest(fd, "}", &request)) {
    WriteAll(fd, R"({"powers":{"package":[1.5]},"msg":"","core_ratio":1})");
  }
}

// Keep-alive HTTP: answers every request on the connection.
void HttpLike(int fd) {
  std::string pending;
  while (ReadRequest(fd, "\r\n\r\n", &pending)) {
    WriteAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  }
}

LoadOptions Options(const Endpoint& endpoint, std::string request,
                    std::function<std::unique_ptr<ReplyReader>()> new_reader) {
  LoadOptions options;
  options.endpoint = endpoint;
  options.request = std::move(request);
  options.new_reader = std::move(new_reader);
  options.duration = absl::Seconds(60);  // the runs below end by max_requests
  return options;
}

std::unique_ptr<ReplyReader> NewEstimatorReader() {
  return std::make_unique<EstimatorReplyReader>();
}

std::unique_ptr<ReplyReader> NewHttpReader() { return std::make_unique<HttpReplyReader>(); }

TEST(LoadLoopTest, ClosedLoopOpensAConnectionPerEstimatorRequest) {
  FakeServer server("estimator", EstimatorLike);
  LoadOptions options = Options(server.endpoint(), R"({"metrics":[]})", NewEstimatorReader);
  options.connections = 4;
  options.max_requests = 50;
  auto result = RunLoadLoop(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->outcomes, (std::map<std::string, int64_t>{{"ok", 50}}));
  EXPECT_EQ(result->ok, 50);
  EXPECT_EQ(result->latencies_ns.size(), 50u);
  EXPECT_GT(result->seconds, 0);
  EXPECT_EQ(server.accepted(), 50);
}

TEST(LoadLoopTest, KeepAliveConnectionsCarryManyRequests) {
  FakeServer server("http", HttpLike);
  LoadOptions options =
      Options(server.endpoint(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n", NewHttpReader);
  options.connections = 3;
  options.max_requests = 100;
  auto result = RunLoadLoop(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->outcomes, (std::map<std::string, int64_t>{{"200", 100}}));
  EXPECT_EQ(server.accepted(), 3);
}

TEST(LoadLoopTest, OpenLoopSendsTheRequestedNumber) {
  FakeServer server("open", EstimatorLike);
  LoadOptions options = Options(server.endpoint(), "{}", NewEstimatorReader);
  options.connections = 2;
  options.rate = 2000;
  options.max_requests = 20;
  auto result = RunLoadLoop(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->ok, 20);
  EXPECT_EQ(result->latencies_ns.size(), 20u);
}

TEST(LoadLoopTest, ThreadsSplitTheWorkAndMergeResults) {
  FakeServer server("threads", EstimatorLike);
  LoadOptions options = Options(server.endpoint(), "{}", NewEstimatorReader);
  options.connections = 4;
  options.max_requests = 41;
  auto result = RunLoad(options, 2);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->ok, 41);
}

TEST(LoadLoopTest, ErrorAnswersAndRefusedConnectionsAreCounted) {
  FakeServer server("errors", [](int fd) {
    std::string request;
    if (ReadRequest(fd, "}", &request)) WriteAll(fd, R"({"powers":{},"msg":"no model"})");
  });
  LoadOptions options = Options(server.endpoint(), "{}", NewEstimatorReader);
  options.max_requests = 3;
  auto answered = RunLoadLoop(options);
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->outcomes, (std::map<std::string, int64_t>{{"msg: no model", 3}}));
  EXPECT_EQ(answered->ok, 0);

  options.endpoint.unix_path += ".missing";
  auto refused = RunLoadLoop(options);
  ASSERT_TRUE(refused.ok()) << refused.status();
  ASSERT_EQ(refused->outcomes.size(), 1u);
  EXPECT_EQ(refused->outcomes.begin()->second, 3);
  EXPECT_EQ(refused->outcomes.begin()->first.rfind("connect: ", 0), 0u);
}

TEST(LoadLoopTest, RejectsMissingRequestOrReader) {
  LoadOptions options;
  EXPECT_EQ(RunLoadLoop(options).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kepler::model::tools
