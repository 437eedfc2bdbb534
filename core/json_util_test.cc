#include "core/json_util.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

using ::testing::HasSubstr;

std::string Format(double v) {
  auto s = FormatDouble(v);
  return s.ok() ? *s : "error: " + std::string(s.status().message());
}

// Expected strings are Python 3.11's repr() of the same doubles.
TEST(FormatDoubleTest, MatchesPythonRepr) {
  EXPECT_EQ(Format(76.0), "76.0");
  EXPECT_EQ(Format(0.0), "0.0");
  EXPECT_EQ(Format(-0.0), "-0.0");
  EXPECT_EQ(Format(1e-05), "1e-05");
  EXPECT_EQ(Format(0.0001), "0.0001");
  EXPECT_EQ(Format(1e16), "1e+16");
  EXPECT_EQ(Format(1.5e16), "1.5e+16");
  EXPECT_EQ(Format(9999999999999998.0), "9999999999999998.0");
  EXPECT_EQ(Format(123456789012345.6), "123456789012345.6");
  EXPECT_EQ(Format(95877.00000000001), "95877.00000000001");
  EXPECT_EQ(Format(0.1), "0.1");
  EXPECT_EQ(Format(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(Format(5e-324), "5e-324");
  EXPECT_EQ(Format(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(Format(-2.5e-7), "-2.5e-07");
  EXPECT_EQ(Format(100.0), "100.0");
  EXPECT_EQ(Format(1e22), "1e+22");
  EXPECT_EQ(Format(12345678.9), "12345678.9");
}

TEST(FormatDoubleTest, RejectsNonFinite) {
  EXPECT_FALSE(FormatDouble(std::nan("")).ok());
  EXPECT_FALSE(FormatDouble(HUGE_VAL).ok());
  EXPECT_FALSE(FormatDouble(-HUGE_VAL).ok());
}

TEST(FormatDoubleTest, RoundTripsRandomBitPatterns) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) {
    const uint64_t bits = rng();
    double v;
    std::memcpy(&v, &bits, sizeof(v));
    if (!std::isfinite(v)) continue;
    const std::string text = Format(v);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), v) << text;
  }
}

TEST(ParseJsonTest, ReadsBackEveryFormattedDouble) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const uint64_t bits = rng();
    double v;
    std::memcpy(&v, &bits, sizeof(v));
    if (!std::isfinite(v)) continue;
    auto doc = ParseJson("[" + Format(v) + "]");
    ASSERT_TRUE(doc.ok()) << doc.status();
    EXPECT_EQ((*doc)[0].GetDouble(), v) << Format(v);
  }
}

TEST(ParseJsonTest, ReadsNumbersBitExact) {
  auto doc = ParseJson(R"({"scale": 95877.00000000001, "n": 96, "f": 96.0})");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ((*doc)["scale"].GetDouble(), 95877.00000000001);
  EXPECT_TRUE((*doc)["n"].IsInt());
  EXPECT_TRUE((*doc)["f"].IsDouble());
}

TEST(ParseJsonTest, ReportsOffsetAndReason) {
  auto doc = ParseJson(R"({"a" 1})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(doc.status().message(), HasSubstr("offset 5"));
  EXPECT_THAT(doc.status().message(), HasSubstr("colon"));
}

TEST(ParseJsonTest, RejectsTrailingTextAndEmptyInput) {
  EXPECT_FALSE(ParseJson(R"({"a": 1} x)").ok());
  EXPECT_FALSE(ParseJson("").ok());
  EXPECT_TRUE(ParseJson(" [1] \n").ok());
}

TEST(ParseJsonTest, AcceptsPythonNonFiniteSpellings) {
  auto doc = ParseJson("[NaN, Infinity, -Infinity]");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_TRUE(std::isnan((*doc)[0].GetDouble()));
}

TEST(ParseJsonTest, RejectsDeepNesting) {
  const std::string deep = std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']');
  EXPECT_THAT(ParseJson(deep).status().message(), HasSubstr("nested"));
  const std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(ParseJson(ok).ok());
  // Brackets inside strings do not count.
  EXPECT_TRUE(ParseJson("\"" + deep + "\"").ok());
}

TEST(WriteJsonTest, CompactKeepsOrderAndNumberKinds) {
  auto doc = ParseJson(R"({"b": [1, 2.0, -3, 1e-05], "a": null, "c": true, "d": 18446744073709551615})");
  ASSERT_TRUE(doc.ok());
  auto out = WriteJson(*doc, JsonWriteOptions::Compact());
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, R"({"b":[1,2.0,-3,1e-05],"a":null,"c":true,"d":18446744073709551615})");
}

// Expected output is Python's json.dumps(..., sort_keys=True) of the same value.
TEST(WriteJsonTest, PythonDumpsSortedMatchesPython) {
  auto doc = ParseJson("{\"b\": [1, 2.0, \"x\u00e9\U0001F600\x7f\\n\"], \"a\": null, \"c\": true}");
  ASSERT_TRUE(doc.ok()) << doc.status();
  auto out = WriteJson(*doc, JsonWriteOptions::PythonDumps(/*sort_keys=*/true));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, R"({"a": null, "b": [1, 2.0, "x\u00e9\ud83d\ude00\u007f\n"], "c": true})");
}

// json.dumps(..., ensure_ascii=False): raw UTF-8, control characters still escaped.
TEST(WriteJsonTest, WithoutEnsureAsciiCopiesUtf8) {
  auto doc = ParseJson("{\"b\": \"x\u00e9\\u0001\"}");
  ASSERT_TRUE(doc.ok());
  JsonWriteOptions options = JsonWriteOptions::PythonDumps(false);
  options.ensure_ascii = false;
  EXPECT_EQ(*WriteJson(*doc, options), "{\"b\": \"x\u00e9\\u0001\"}");
}

TEST(WriteJsonTest, RejectsNaNAndInvalidUtf8) {
  rapidjson::Document doc(rapidjson::kArrayType);
  doc.PushBack(rapidjson::Value(std::nan("")), doc.GetAllocator());
  EXPECT_EQ(WriteJson(doc, {}).status().code(), absl::StatusCode::kInvalidArgument);
  rapidjson::Value bad("\xff\xfe", doc.GetAllocator());
  EXPECT_FALSE(WriteJson(bad, {}).ok());
}

TEST(FindMemberTest, PrefersExactThenFoldsCase) {
  auto doc = ParseJson(R"({"all_weights": 1, "All_Weights": 2, "scale": 3})");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(FindMember(*doc, "All_Weights")->GetInt(), 2);
  EXPECT_EQ(FindMember(*doc, "SCALE")->GetInt(), 3);
  EXPECT_EQ(FindMember(*doc, "weight"), nullptr);
  EXPECT_EQ(FindMember((*doc)["scale"], "x"), nullptr);
}

}  // namespace
}  // namespace kepler::model::core
