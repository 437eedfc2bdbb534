#include "core/json_fields.h"

#include "core/json_util.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

TEST(JsonFieldsTest, TypedGettersCheckTypesAndNameTheMember) {
  auto doc = ParseJson(R"({"n": 3, "x": 1.5, "s": "a", "l": [1, 2.5], "names": ["p"],
                           "bad": [1, "x"], "inf": Infinity})");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(*GetInteger(*doc, "n"), 3);
  EXPECT_EQ(*GetNumber(*doc, "x"), 1.5);
  EXPECT_EQ(*GetString(*doc, "s"), "a");
  EXPECT_EQ(*GetNumberList(*doc, "l"), (std::vector<double>{1, 2.5}));
  EXPECT_EQ(*GetStringList(*doc, "names"), (std::vector<std::string>{"p"}));
  EXPECT_FALSE(GetInteger(*doc, "x").ok());
  EXPECT_FALSE(GetNumber(*doc, "inf").ok());
  EXPECT_FALSE(GetNumberList(*doc, "bad").ok());
  auto missing = GetString(*doc, "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("'nope'"), std::string::npos);
}

TEST(JsonFieldsTest, AddersBuildAnObjectThatReadsBack) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  AddString(&doc, "model", "SGDRegressor", a);
  AddInteger(&doc, "n_features", 2, a);
  AddNumber(&doc, "intercept", 0.1, a);
  AddNumberList(&doc, "coef", {1e-17, 3}, a);
  AddStringList(&doc, "features", {"a", "b"}, a);
  auto text = WriteJson(doc, JsonWriteOptions::PythonDumps(false));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, R"({"model": "SGDRegressor", "n_features": 2, "intercept": 0.1, )"
                   R"("coef": [1e-17, 3.0], "features": ["a", "b"]})");
}

}  // namespace
}  // namespace kepler::model::core
