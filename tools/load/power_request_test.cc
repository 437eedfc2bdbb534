#include "tools/load/power_request.h"

#include "gtest/gtest.h"
#include "rapidjson/document.h"

namespace kepler::model::tools {
namespace {

rapidjson::Document Parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  return doc;
}

TEST(BuildPowerRequestTest, FeaturesFirstThenFillerUpToTheMetricCount) {
  PowerRequestSpec spec;
  spec.metrics = 10;
  spec.rows = 3;
  rapidjson::Document doc = Parse(BuildPowerRequest(spec));
  ASSERT_FALSE(doc.HasParseError());
  ASSERT_EQ(doc["metrics"].Size(), 10u);
  EXPECT_STREQ(doc["metrics"][0].GetString(), "bpf_cpu_time_ms");
  EXPECT_STREQ(doc["metrics"][1].GetString(), "bpf_page_cache_hit");
  EXPECT_STREQ(doc["metrics"][9].GetString(), "extra_metric_7");
  ASSERT_EQ(doc["values"].Size(), 3u);
  for (const auto& row : doc["values"].GetArray()) {
    ASSERT_EQ(row.Size(), 10u);
    EXPECT_GE(row[0].GetDouble(), 0);
    EXPECT_LE(row[0].GetDouble(), 120000);
    EXPECT_LE(row[1].GetDouble(), 4);
  }
}

TEST(BuildPowerRequestTest, FewerMetricsThanFeaturesMeansJustTheFeatures) {
  PowerRequestSpec spec;
  spec.metrics = 1;
  rapidjson::Document doc = Parse(BuildPowerRequest(spec));
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_EQ(doc["metrics"].Size(), 2u);
  EXPECT_EQ(doc["values"].Size(), 1u);
}

TEST(BuildPowerRequestTest, CarriesTheRequestFieldsKeplerSends) {
  PowerRequestSpec spec;
  spec.source = "acpi";
  spec.trainer_name = "SGDRegressorTrainer";
  rapidjson::Document doc = Parse(BuildPowerRequest(spec));
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["source"].GetString(), "acpi");
  EXPECT_STREQ(doc["output_type"].GetString(), "AbsPower");
  EXPECT_STREQ(doc["trainer_name"].GetString(), "SGDRegressorTrainer");
  EXPECT_EQ(doc["system_features"].Size(), doc["system_values"].Size());
}

TEST(BuildPowerRequestTest, SameSeedSameRequest) {
  PowerRequestSpec spec;
  spec.rows = 5;
  EXPECT_EQ(BuildPowerRequest(spec), BuildPowerRequest(spec));
  PowerRequestSpec other = spec;
  other.seed = 2;
  EXPECT_NE(BuildPowerRequest(spec), BuildPowerRequest(other));
}

}  // namespace
}  // namespace kepler::model::tools
