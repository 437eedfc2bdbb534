#include "tools/load/http_reply_reader.h"

#include <string>

#include "gtest/gtest.h"

namespace kepler::model::tools {
namespace {

using State = ReplyReader::State;

// Feeds `bytes` one byte at a time; returns the state after the last one.
State FeedBytewise(HttpReplyReader& reader, const std::string& bytes) {
  State state = State::kNeedMore;
  for (char c : bytes) state = reader.Feed(absl::string_view(&c, 1));
  return state;
}

TEST(HttpReplyReaderTest, CompleteKeepAliveResponseInOneChunk) {
  HttpReplyReader reader;
  reader.Reset();
  EXPECT_EQ(reader.Feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"), State::kDone);
  EXPECT_EQ(reader.label(), "200");
  EXPECT_EQ(reader.status(), 200);
  EXPECT_TRUE(reader.ok());
  EXPECT_TRUE(reader.reusable());
}

TEST(HttpReplyReaderTest, ResponseSplitAtEveryByte) {
  HttpReplyReader reader;
  reader.Reset();
  EXPECT_EQ(FeedBytewise(reader, "HTTP/1.1 400 Bad Request\r\ncontent-length: 3\r\n\r\nno\n"),
            State::kDone);
  EXPECT_EQ(reader.label(), "400");
  EXPECT_FALSE(reader.ok());
  EXPECT_TRUE(reader.reusable());
}

TEST(HttpReplyReaderTest, NeedsTheWholeBody) {
  HttpReplyReader reader;
  reader.Reset();
  EXPECT_EQ(reader.Feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345"), State::kNeedMore);
  EXPECT_EQ(reader.Feed("6789"), State::kNeedMore);
  EXPECT_EQ(reader.Feed("0"), State::kDone);
}

TEST(HttpReplyReaderTest, ConnectionCloseIsNotReusable) {
  HttpReplyReader reader;
  reader.Reset();
  EXPECT_EQ(reader.Feed("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"),
            State::kDone);
  EXPECT_TRUE(reader.ok());
  EXPECT_FALSE(reader.reusable());
}

TEST(HttpReplyReaderTest, Http10IsNotKeptAliveUnlessAsked) {
  HttpReplyReader reader;
  reader.Reset();
  reader.Feed("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
  EXPECT_FALSE(reader.reusable());
  reader.Reset();
  reader.Feed("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(reader.reusable());
}

TEST(HttpReplyReaderTest, SkipsInterimResponses) {
  HttpReplyReader reader;
  reader.Reset();
  EXPECT_EQ(reader.Feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n"
                        "Content-Length: 2\r\n\r\nok"),
            State::kDone);
  EXPECT_EQ(reader.label(), "201");
}

TEST(HttpReplyReaderTest, BodyWithoutLengthEndsAtClose) {
  HttpReplyReader reader;
  reader.Reset();
  EXPECT_EQ(reader.Feed("HTTP/1.1 200 OK\r\n\r\nsome"), State::kNeedMore);
  reader.EndOfStream();
  EXPECT_EQ(reader.label(), "200");
  EXPECT_TRUE(reader.ok());
  EXPECT_FALSE(reader.reusable());
}

TEST(HttpReplyReaderTest, NoContentNeedsNoBody) {
  HttpReplyReader reader;
  reader.Reset();
  EXPECT_EQ(reader.Feed("HTTP/1.1 204 No Content\r\n\r\n"), State::kDone);
  EXPECT_TRUE(reader.reusable());
}

TEST(HttpReplyReaderTest, EarlyCloseIsAnError) {
  HttpReplyReader reader;
  reader.Reset();
  reader.EndOfStream();
  EXPECT_EQ(reader.label(), "closed before response");
  EXPECT_FALSE(reader.ok());
  reader.Reset();
  reader.Feed("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc");
  reader.EndOfStream();
  EXPECT_EQ(reader.label(), "closed mid-response");
}

TEST(HttpReplyReaderTest, MalformedResponsesAreLabelled) {
  HttpReplyReader reader;
  reader.Reset();
  EXPECT_EQ(reader.Feed("SSH-2.0-OpenSSH\r\n\r\n"), State::kDone);
  EXPECT_EQ(reader.label(), "bad response: status line");
  reader.Reset();
  EXPECT_EQ(reader.Feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), State::kDone);
  EXPECT_EQ(reader.label(), "unsupported: chunked");
  reader.Reset();
  EXPECT_EQ(reader.Feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab"), State::kDone);
  EXPECT_EQ(reader.label(), "bad response: bytes after the body");
  EXPECT_FALSE(reader.reusable());
}

}  // namespace
}  // namespace kepler::model::tools
