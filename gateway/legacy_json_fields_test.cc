#include "gateway/legacy_json_fields.h"

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

}  // namespace
}  // namespace kepler::model::gateway
