#include "tools/load/load_loop.h"

#include <string>

#include "gtest/gtest.h"
#include "tools/load/estimator_reply_reader.h"
#include "tools/load/fake_unix_server.h"
#include "tools/load/http_reply_reader.h"

namespace kepler::model::tools {
namespace {

using testing::FakeUnixServer;
using testing::ReadThrough;
using testing::WriteAll;

// The estimator's protocol: one JSON request, one reply, close.
void EstimatorLike(int fd) {
  std::string request;
  if (ReadThrough(fd, "}", &request)) {
    WriteAll(fd, R"({"powers":{"package":[1.5]},"msg":"","core_ratio":1})");
  }
}

// Keep-alive HTTP: answers every request on the connection.
void HttpLike(int fd) {
  std::string pending;
  while (ReadThrough(fd, "\r\n\r\n", &pending)) {
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
  FakeUnixServer server("estimator", EstimatorLike);
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
  FakeUnixServer server("http", HttpLike);
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
  FakeUnixServer server("open", EstimatorLike);
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
  FakeUnixServer server("threads", EstimatorLike);
  LoadOptions options = Options(server.endpoint(), "{}", NewEstimatorReader);
  options.connections = 4;
  options.max_requests = 41;
  auto result = RunLoad(options, 2);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->ok, 41);
}

TEST(LoadLoopTest, ErrorAnswersAndRefusedConnectionsAreCounted) {
  FakeUnixServer server("errors", [](int fd) {
    std::string request;
    if (ReadThrough(fd, "}", &request)) WriteAll(fd, R"({"powers":{},"msg":"no model"})");
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
