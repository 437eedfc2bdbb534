#include "gateway/legacy_json_fields.h"

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace kepler::model::gateway {
namespace {

rapidjson::Document Parse(const char* json) {
  rapidjson::Document doc;
  doc.Parse(json);
  return doc;
}

TEST(LegacyJsonFieldsTest, BoolsAcceptTheFormsClientsSend) {
  EXPECT_TRUE(*ReadLegacyBool(Parse("true"), "weight", false));
  EXPECT_TRUE(*ReadLegacyBool(Parse("\"true\""), "weight", false));
  EXPECT_TRUE(*ReadLegacyBool(Parse("\"True\""), "weight", false));
  EXPECT_FALSE(*ReadLegacyBool(Parse("\"false\""), "weight", true)) << "§11.9";
  EXPECT_FALSE(*ReadLegacyBool(Parse("0"), "weight", true));
  EXPECT_TRUE(*ReadLegacyBool(Parse("null"), "weight", true));
  EXPECT_FALSE(*ReadLegacyBool(Parse("\"\""), "weight", false));
  auto bad = ReadLegacyBool(Parse("\"maybe\""), "weight", false);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("weight"), std::string::npos);
  EXPECT_FALSE(ReadLegacyBool(Parse("[]"), "weight", false).ok());
}

TEST(LegacyJsonFieldsTest, IntsAcceptStringsNullAndIntegralFloats) {
  EXPECT_EQ(*ReadLegacyInt(Parse("3"), "node_type", -1), 3);
  EXPECT_EQ(*ReadLegacyInt(Parse("\"3\""), "node_type", -1), 3);
  EXPECT_EQ(*ReadLegacyInt(Parse("-1"), "node_type", 0), -1);
  EXPECT_EQ(*ReadLegacyInt(Parse("null"), "node_type", -1), -1);
  EXPECT_EQ(*ReadLegacyInt(Parse("\"\""), "node_type", -1), -1);
  EXPECT_EQ(*ReadLegacyInt(Parse("2.0"), "node_type", -1), 2);
  EXPECT_EQ(*ReadLegacyInt(Parse("true"), "node_type", -1), 1);
  EXPECT_FALSE(ReadLegacyInt(Parse("2.5"), "node_type", -1).ok());
  EXPECT_FALSE(ReadLegacyInt(Parse("\"two\""), "node_type", -1).ok());
  EXPECT_FALSE(ReadLegacyInt(Parse("{}"), "node_type", -1).ok());
}

TEST(LegacyJsonFieldsTest, StringsAndLists) {
  EXPECT_EQ(*ReadLegacyString(Parse("\"x\""), "filter"), "x");
  EXPECT_EQ(*ReadLegacyString(Parse("null"), "filter", "d"), "d");
  EXPECT_FALSE(ReadLegacyString(Parse("1"), "filter").ok());
  auto list = ReadLegacyStringList(Parse("[\"a\",\"b\"]"), "metrics");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 2u);
  EXPECT_FALSE(ReadLegacyStringList(Parse("[\"a\",1]"), "metrics").ok());
  EXPECT_FALSE(ReadLegacyStringList(Parse("\"a\""), "metrics").ok());
}

// Found by fuzz/power_request_json_fuzzer: RapidJSON 1.1 decodes an unpaired "\udd00" escape
// to the bytes of a surrogate, which proto3 string fields must not hold.
TEST(LegacyJsonFieldsTest, StringsMustBeUtf8) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Sky Lake \xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x8c"));
  EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));
  for (const char* bad : {"\xff", "\xc3", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xb4\x80",
                          "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80", "\xe2\x82"}) {
    EXPECT_FALSE(IsValidUtf8(bad)) << absl::CHexEscape(bad);
  }
  auto lone = ReadLegacyString(Parse(R"("a\udd00")"), "trainer_name");
  ASSERT_FALSE(lone.ok());
  EXPECT_EQ(lone.status().message(), "field 'trainer_name' must be valid UTF-8");
  EXPECT_FALSE(ReadLegacyStringList(Parse(R"(["ok","\udfff"])"), "metrics").ok());
  auto pair = ReadLegacyString(Parse(R"("\ud83d\udd0c")"), "filter");
  ASSERT_TRUE(pair.ok()) << pair.status();
  EXPECT_EQ(*pair, "\xf0\x9f\x94\x8c");
}

}  // namespace
}  // namespace kepler::model::gateway
