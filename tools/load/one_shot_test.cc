#include "tools/load/one_shot.h"

#include "gtest/gtest.h"
#include "tools/load/estimator_reply_reader.h"
#include "tools/load/fake_unix_server.h"
#include "tools/load/http_reply_reader.h"

namespace kepler::model::tools {
namespace {

using testing::FakeUnixServer;
using testing::ReadThrough;
using testing::WriteAll;

TEST(ExchangeOnceTest, ReadsAnEstimatorReplyUntilClose) {
  FakeUnixServer server("one-shot", [](int fd) {
    std::string request;
    if (ReadThrough(fd, "}", &request)) WriteAll(fd, R"({"powers":{},"msg":""})");
  });
  EstimatorReplyReader reader;
  ASSERT_TRUE(ExchangeOnce(server.endpoint(), "{}", absl::Seconds(30), &reader).ok());
  EXPECT_TRUE(reader.ok());
  EXPECT_EQ(reader.reply(), R"({"powers":{},"msg":""})");
}

TEST(ExchangeOnceTest, StopsAtACompleteHttpResponseOnAnOpenConnection) {
  FakeUnixServer server("one-shot-http", [](int fd) {
    std::string request;
    if (!ReadThrough(fd, "\r\n\r\n", &request)) return;
    WriteAll(fd, "HTTP/1.1 503 Unavailable\r\nContent-Length: 0\r\n\r\n");
    ReadThrough(fd, "never", &request);  // keeps the connection open until the client closes
  });
  HttpReplyReader reader;
  ASSERT_TRUE(ExchangeOnce(server.endpoint(), "GET / HTTP/1.1\r\n\r\n", absl::Seconds(30),
                           &reader)
                  .ok());
  EXPECT_EQ(reader.label(), "503");
  EXPECT_FALSE(reader.ok());
}

TEST(ExchangeOnceTest, NothingListeningIsUnavailable) {
  Endpoint endpoint{"/tmp/kepler-one-shot-nothing-here.sock", "", 0};
  EstimatorReplyReader reader;
  EXPECT_EQ(ExchangeOnce(endpoint, "{}", absl::Seconds(30), &reader).code(),
            absl::StatusCode::kUnavailable);
}

TEST(ExchangeOnceTest, ASilentServerRunsIntoTheDeadline) {
  FakeUnixServer server("one-shot-silent", [](int fd) {
    std::string request;
    ReadThrough(fd, "never", &request);  // reads until the client closes
  });
  EstimatorReplyReader reader;
  EXPECT_EQ(ExchangeOnce(server.endpoint(), "{}", absl::Milliseconds(1), &reader).code(),
            absl::StatusCode::kDeadlineExceeded);
}

}  // namespace
}  // namespace kepler::model::tools
