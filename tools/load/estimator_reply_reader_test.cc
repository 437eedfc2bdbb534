#include "tools/load/estimator_reply_reader.h"

#include "gtest/gtest.h"

namespace kepler::model::tools {
namespace {

std::string Classify(absl::string_view reply, bool* ok) {
  return ClassifyEstimatorReply(reply, ok);
}

TEST(ClassifyEstimatorReplyTest, CompactAndSpacedSuccessesAreOk) {
  bool ok = false;
  EXPECT_EQ(Classify(R"({"powers":{"package":[1.5]},"msg":"","core_ratio":1})", &ok), "ok");
  EXPECT_TRUE(ok);
  EXPECT_EQ(Classify(R"({"powers": {"core": [0.0]}, "msg": "", "core_ratio": 0.5})", &ok), "ok");
  EXPECT_TRUE(ok);
}

TEST(ClassifyEstimatorReplyTest, ErrorAnswersAreLabelledByTheirMessage) {
  bool ok = true;
  EXPECT_EQ(Classify(R"({"powers":{},"msg":"no model for \"acpi\"","core_ratio":1})", &ok),
            R"(msg: no model for \"acpi\")");
  EXPECT_FALSE(ok);
}

TEST(ClassifyEstimatorReplyTest, LongMessagesAreShortened) {
  bool ok = true;
  std::string reply = R"({"powers":{},"msg":")" + std::string(200, 'x') + R"("})";
  EXPECT_EQ(Classify(reply, &ok), "msg: " + std::string(60, 'x'));
}

TEST(ClassifyEstimatorReplyTest, ReferenceListPowersAreNotOk) {
  bool ok = true;
  EXPECT_EQ(Classify(R"({"powers":[],"msg":""})", &ok), "bad reply");
  EXPECT_FALSE(ok);
}

TEST(ClassifyEstimatorReplyTest, EmptyAndGarbageReplies) {
  bool ok = true;
  EXPECT_EQ(Classify("", &ok), "empty reply");
  EXPECT_EQ(Classify("  \n", &ok), "empty reply");
  EXPECT_EQ(Classify("Internal: boom", &ok), "bad reply");
  EXPECT_EQ(Classify(R"({"powers":{},"msg":"unterminated)", &ok), "bad reply");
  EXPECT_FALSE(ok);
}

TEST(EstimatorReplyReaderTest, ReplyEndsOnlyAtEndOfStream) {
  EstimatorReplyReader reader;
  reader.Reset();
  EXPECT_EQ(reader.Feed(R"({"powers":{"package":[1]},)"), ReplyReader::State::kNeedMore);
  EXPECT_EQ(reader.Feed(R"("msg":""})"), ReplyReader::State::kNeedMore);
  reader.EndOfStream();
  EXPECT_EQ(reader.label(), "ok");
  EXPECT_TRUE(reader.ok());
  EXPECT_FALSE(reader.reusable());
  reader.Reset();
  reader.EndOfStream();
  EXPECT_EQ(reader.label(), "empty reply");
}

}  // namespace
}  // namespace kepler::model::tools
