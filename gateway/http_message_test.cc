#include "gateway/http_message.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(UrlDecodeTest, DecodesPercentEscapes) {
  EXPECT_EQ(UrlDecode("a%20b%2Fc%7e", false), "a b/c~");
}

TEST(UrlDecodeTest, PlusIsASpaceOnlyWhenAsked) {
  EXPECT_EQ(UrlDecode("a+b", true), "a b");
  EXPECT_EQ(UrlDecode("a+b", false), "a+b");
  EXPECT_EQ(UrlDecode("a%2Bb", true), "a+b");
}

TEST(UrlDecodeTest, KeepsMalformedEscapesLiterally) {
  EXPECT_EQ(UrlDecode("100%", true), "100%");
  EXPECT_EQ(UrlDecode("%zz%4", true), "%zz%4");
  EXPECT_EQ(UrlDecode("%41%", true), "A%");
}

TEST(ParseTargetTest, SplitsPathAndDecodesQuery) {
  ParsedTarget parsed =
      ParseTarget("/best-models?energy-source=rapl-sysfs&x=a%20b&y=c+d");
  EXPECT_EQ(parsed.path, "/best-models");
  EXPECT_THAT(parsed.query, ElementsAre(Pair("energy-source", "rapl-sysfs"),
                                        Pair("x", "a b"), Pair("y", "c d")));
}

TEST(ParseTargetTest, KeepsRepeatsAndValuelessKeysSkipsEmptyPairs) {
  ParsedTarget parsed = ParseTarget("/p?a=1&&a=2&flag&e=&=v#fragment");
  EXPECT_EQ(parsed.path, "/p");
  EXPECT_THAT(parsed.query,
              ElementsAre(Pair("a", "1"), Pair("a", "2"), Pair("flag", ""),
                          Pair("e", ""), Pair("", "v")));
}

TEST(ParseTargetTest, ValueMayContainEquals) {
  EXPECT_THAT(ParseTarget("/p?filter=a=b").query,
              ElementsAre(Pair("filter", "a=b")));
}

TEST(ParseTargetTest, PathIsDecodedWithoutPlus) {
  ParsedTarget parsed = ParseTarget("/a%20b+c");
  EXPECT_EQ(parsed.path, "/a b+c");
  EXPECT_THAT(parsed.query, IsEmpty());
}

TEST(HttpRequestTest, HeaderLookupIgnoresCaseQueryLookupDoesNot) {
  HttpRequest request;
  request.headers = {
      {"Content-Type", "application/json"}, {"X-A", "1"}, {"x-a", "2"}};
  request.query = {{"Key", "v"}};
  ASSERT_NE(request.FindHeader("content-type"), nullptr);
  EXPECT_EQ(*request.FindHeader("content-type"), "application/json");
  EXPECT_EQ(*request.FindHeader("X-a"), "1");
  EXPECT_EQ(request.FindHeader("missing"), nullptr);
  EXPECT_EQ(*request.FindQuery("Key"), "v");
  EXPECT_EQ(request.FindQuery("key"), nullptr);
}

TEST(HttpResponseTest, DefaultsToJsonAndOk) {
  HttpResponse response;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.FindHeader("Allow"), nullptr);
}

}  // namespace
}  // namespace kepler::model::gateway
