// Tests for JsonFramer: the framing rules of docs/socket-framing.md
// ("When is a request complete").
#include "gateway/json_framer.h"

#include <string>

#include "gtest/gtest.h"

namespace kepler::model::gateway {
namespace {

using State = JsonFramer::State;

// A Kepler-style request with the traps a naive scanner falls into: braces
// and brackets inside strings, escaped quotes, an escaped backslash before a
// closing quote, nested objects and arrays, and unicode escapes.
constexpr char kSample[] =
    R"({"metrics":["a{","b]}"],"values":[[1.5,-2e3],[0,0]],)"
    R"("nested":{"x":{"y":[{},[]]}},"q":"say \"}\" \\","u":"\u007d",)"
    R"("output_type":"AbsPower","filter":"a\\"})";

// Feeds `chunks` in order and returns the state after the last one.
State FeedAll(JsonFramer& framer,
              std::initializer_list<absl::string_view> chunks) {
  State state = State::kNeedMore;
  for (absl::string_view chunk : chunks) state = framer.Feed(chunk);
  return state;
}

TEST(JsonFramerTest, CompleteObjectInOneChunk) {
  JsonFramer framer;
  EXPECT_EQ(framer.Feed(kSample), State::kComplete);
  EXPECT_EQ(framer.consumed(), sizeof(kSample) - 1);
  EXPECT_TRUE(framer.error().empty());
}

TEST(JsonFramerTest, EverySplitPointGivesTheSameFrame) {
  const std::string sample = kSample;
  for (size_t i = 0; i <= sample.size(); ++i) {
    JsonFramer framer;
    absl::string_view s = sample;
    State first = framer.Feed(s.substr(0, i));
    if (i < sample.size()) {
      EXPECT_EQ(first, State::kNeedMore) << "split " << i;
    }
    EXPECT_EQ(framer.Feed(s.substr(i)), State::kComplete) << "split " << i;
    EXPECT_EQ(framer.consumed(), sample.size()) << "split " << i;
  }
}

TEST(JsonFramerTest, EveryThreeWaySplitGivesTheSameFrame) {
  const std::string sample = R"( {"s":"\"}{[","a":[{"b":"\\"}]} )";
  const size_t frame = sample.size() - 1;  // without the trailing space
  absl::string_view s = sample;
  for (size_t i = 0; i <= s.size(); ++i) {
    for (size_t j = i; j <= s.size(); ++j) {
      JsonFramer framer;
      EXPECT_EQ(
          FeedAll(framer, {s.substr(0, i), s.substr(i, j - i), s.substr(j)}),
          State::kComplete)
          << i << "," << j;
      EXPECT_EQ(framer.consumed(), frame) << i << "," << j;
    }
  }
}

TEST(JsonFramerTest, ByteByByteCompletesOnTheLastByte) {
  const std::string sample = kSample;
  JsonFramer framer;
  for (size_t i = 0; i + 1 < sample.size(); ++i) {
    ASSERT_EQ(framer.Feed(absl::string_view(&sample[i], 1)), State::kNeedMore)
        << "byte " << i;
  }
  EXPECT_EQ(framer.Feed(absl::string_view(&sample.back(), 1)),
            State::kComplete);
  EXPECT_EQ(framer.consumed(), sample.size());
}

TEST(JsonFramerTest, LeadingWhitespaceIsPartOfTheFrame) {
  JsonFramer framer;
  EXPECT_EQ(framer.Feed(" \t\r\n"), State::kNeedMore);
  EXPECT_EQ(framer.Feed("{}"), State::kComplete);
  EXPECT_EQ(framer.consumed(), 6u);
}

TEST(JsonFramerTest, BytesAfterTheObjectAreNotConsumed) {
  JsonFramer framer;
  EXPECT_EQ(framer.Feed("{\"a\":1}\n{\"b\":2}"), State::kComplete);
  EXPECT_EQ(framer.consumed(), 7u);
  // Later chunks change nothing.
  EXPECT_EQ(framer.Feed("}}}"), State::kComplete);
  EXPECT_EQ(framer.consumed(), 7u);
}

TEST(JsonFramerTest, TopLevelArrayIsFramed) {
  JsonFramer framer;
  EXPECT_EQ(FeedAll(framer, {"[1,", "{\"a\":[]}", ",\"]\"", "]  "}),
            State::kComplete);
  EXPECT_EQ(framer.consumed(), 16u);
}

TEST(JsonFramerTest, EscapedBackslashBeforeQuoteEndsTheString) {
  // "\\" is a string holding one backslash; the quote after it closes it.
  JsonFramer framer;
  EXPECT_EQ(framer.Feed(R"({"k":"\\"})"), State::kComplete);
}

TEST(JsonFramerTest, EscapedQuoteDoesNotEndTheString) {
  JsonFramer framer;
  EXPECT_EQ(framer.Feed(R"({"k":"\"}")"), State::kNeedMore);
  EXPECT_EQ(framer.Feed("}"), State::kComplete);
}

TEST(JsonFramerTest, TopLevelScalarIsCompleteOnlyAtEndOfStream) {
  for (const char* scalar : {"\"a}\"", "12.5", "true", "false", "null", "-1"}) {
    JsonFramer framer;
    EXPECT_EQ(framer.Feed(scalar), State::kNeedMore) << scalar;
    EXPECT_EQ(framer.Finish(), State::kComplete) << scalar;
    EXPECT_EQ(framer.consumed(), std::string(scalar).size()) << scalar;
  }
}

TEST(JsonFramerTest, EndOfStreamInsideObjectIsAnError) {
  JsonFramer framer;
  EXPECT_EQ(framer.Feed(R"({"a":[1,2)"), State::kNeedMore);
  EXPECT_EQ(framer.Finish(), State::kError);
  EXPECT_NE(framer.error().find("unclosed"), std::string::npos);
}

TEST(JsonFramerTest, EmptyStreamIsAnErrorAtEndOfStream) {
  JsonFramer framer;
  EXPECT_EQ(framer.Feed(""), State::kNeedMore);
  EXPECT_EQ(framer.Feed("  \n"), State::kNeedMore);
  EXPECT_EQ(framer.Finish(), State::kError);
  EXPECT_FALSE(framer.error().empty());
}

TEST(JsonFramerTest, FinishAfterCompleteKeepsTheFrame) {
  JsonFramer framer;
  EXPECT_EQ(framer.Feed("{} trailing"), State::kComplete);
  EXPECT_EQ(framer.Finish(), State::kComplete);
  EXPECT_EQ(framer.consumed(), 2u);
}

TEST(JsonFramerTest, GarbageIsAnErrorAtTheFirstBadByte) {
  for (const char* garbage : {"hello", "}", "]", "\x01{}", "GET / HTTP/1.1"}) {
    JsonFramer framer;
    EXPECT_EQ(framer.Feed(garbage), State::kError) << garbage;
    EXPECT_EQ(framer.consumed(), 1u) << garbage;
    EXPECT_NE(framer.error().find("offset 0"), std::string::npos)
        << framer.error();
  }
}

TEST(JsonFramerTest, MismatchedCloserIsAnError) {
  JsonFramer framer;
  EXPECT_EQ(framer.Feed(R"({"a":[1})"), State::kError);
  EXPECT_EQ(framer.consumed(), 8u);
  EXPECT_NE(framer.error().find("']' was expected"), std::string::npos)
      << framer.error();
  // An error is final.
  EXPECT_EQ(framer.Feed("]}"), State::kError);
  EXPECT_EQ(framer.Finish(), State::kError);
}

TEST(JsonFramerTest, DeepNestingByteByByte) {
  constexpr int kDepth = 100000;
  const std::string deep =
      std::string(kDepth, '[') + "\"]}\"" + std::string(kDepth, ']');
  JsonFramer framer;
  State state = State::kNeedMore;
  for (char c : deep) state = framer.Feed(absl::string_view(&c, 1));
  EXPECT_EQ(state, State::kComplete);
  EXPECT_EQ(framer.consumed(), deep.size());
}

TEST(JsonFramerTest, LargeRequestInSmallChunks) {
  // 8 MiB in 1 KiB chunks: total work stays linear in the bytes fed.
  std::string big = "{\"values\":[";
  while (big.size() < (8u << 20)) big += "[1.25,\"}\\\"{\",0],";
  big += "[0]]}";
  JsonFramer framer;
  absl::string_view rest = big;
  State state = State::kNeedMore;
  while (!rest.empty() && state == State::kNeedMore) {
    state = framer.Feed(rest.substr(0, 1024));
    rest.remove_prefix(std::min<size_t>(1024, rest.size()));
  }
  EXPECT_EQ(state, State::kComplete);
  EXPECT_EQ(framer.consumed(), big.size());
}

// Long runs of plain bytes are skipped in blocks: every special byte must still be seen
// wherever it falls relative to a block, in and out of strings.
TEST(JsonFramerTest, SpecialBytesAtEveryOffsetOfLongRuns) {
  for (size_t at = 0; at < 40; ++at) {
    const std::string pad_before(at, 'x'), pad_after(40 - at, 'x');
    for (const char* inner : {"\\\"", "\\\\", "}", "]"}) {
      const std::string text = "{\"k\":\"" + pad_before + inner + pad_after + "\"," +
                               std::string(at, '1') + ":[" + std::string(40 - at, '2') + "]}";
      JsonFramer framer;
      EXPECT_EQ(framer.Feed(text + "trailing"), State::kComplete) << text;
      EXPECT_EQ(framer.consumed(), text.size()) << text;
    }
  }
}

}  // namespace
}  // namespace kepler::model::gateway
