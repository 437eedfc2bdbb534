#include "core/weight_document.h"

#include <cmath>
#include <string>

#include "absl/strings/strip.h"
#include "core/file_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Fixtures (testdata/README.md): published kepler-model-db weight files, Kepler's default
// weights, and a /model weight=true response recorded from the reference server.
constexpr char kEc2[] = "testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/";
constexpr char kSpec[] = "testdata/model-db/specpower-0.7.11/acpi/AbsPower/BPFOnly/";
constexpr char kKepler[] = "testdata/kepler/model_weight/";

std::string Read(const std::string& path) {
  auto text = ReadFile(path);
  EXPECT_TRUE(text.ok()) << text.status();
  return text.ok() ? *text : "";
}

v1::WeightDocument Parse(const std::string& path) {
  auto doc = ParseWeightDocument(Read(path));
  EXPECT_TRUE(doc.ok()) << path << ": " << doc.status();
  return doc.ok() ? *doc : v1::WeightDocument();
}

std::vector<std::string> Components(const v1::WeightDocument& doc) {
  std::vector<std::string> out;
  for (const auto& c : doc.components()) out.push_back(c.component());
  return out;
}

TEST(WeightDocumentTest, ParsesPublishedLinearWeights) {
  const v1::WeightDocument doc = Parse(std::string(kEc2) + "SGDRegressorTrainer_0.json");
  EXPECT_THAT(Components(doc), ElementsAre("package", "core", "uncore", "dram"));
  const v1::ComponentWeights& package = doc.components(0);
  EXPECT_EQ(package.bias_weight(), 143.81206324506658);
  EXPECT_THAT(package.feature_names(), ElementsAre("bpf_cpu_time_ms", "bpf_page_cache_hit"));
  EXPECT_EQ(package.numerical_variables(0).scale(), 95877.00000000001);
  EXPECT_EQ(package.numerical_variables(0).weight(), 305.148172889668);
  EXPECT_FALSE(package.numerical_variables(0).has_mean());
  EXPECT_EQ(package.curve_fit_weights_size(), 0);
}

TEST(WeightDocumentTest, ParsesPublishedCurveFitWeights) {
  const v1::WeightDocument doc = Parse(std::string(kSpec) + "LogisticRegressionTrainer_0.json");
  ASSERT_THAT(Components(doc), ElementsAre("platform"));
  EXPECT_FALSE(doc.components(0).has_bias_weight());
  EXPECT_FALSE(doc.components(0).numerical_variables(0).has_weight());
  EXPECT_THAT(doc.components(0).curve_fit_weights(),
              ElementsAre(76.95205029898524, 0.3844795925803754, 3.8450142150828293,
                          48.79654527313572));
}

TEST(WeightDocumentTest, SkipsNonComponentMembers) {
  const v1::WeightDocument kepler = Parse(std::string(kKepler) + "intel_rapl_AbsPowerModel.json");
  EXPECT_THAT(Components(kepler), ElementsAre("package", "core", "uncore", "dram"));
  const v1::WeightDocument served = Parse("testdata/reference-samples/model-response-weight.json");
  EXPECT_THAT(Components(served), ElementsAre("core", "dram", "package", "uncore"));
  EXPECT_EQ(served.components(1).feature_names_size(), 5);
}

// Published files are Python json.dumps output; writing them back must give the same bytes.
class RoundTripTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RoundTripTest, WritesPublishedFileByteForByte) {
  const std::string text(absl::StripSuffix(Read(GetParam()), "\n"));
  auto doc = ParseWeightDocument(text);
  ASSERT_TRUE(doc.ok()) << doc.status();
  auto written = WriteWeightDocument(*doc, JsonWriteOptions::PythonDumps(false));
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, text);
}

INSTANTIATE_TEST_SUITE_P(
    Published, RoundTripTest,
    ::testing::Values(std::string(kEc2) + "SGDRegressorTrainer_0.json",
                      std::string(kEc2) + "LogarithmicRegressionTrainer_0.json",
                      std::string(kEc2) + "ExponentialRegressionTrainer_0.json",
                      std::string(kSpec) + "SGDRegressorTrainer_0.json",
                      std::string(kSpec) + "LogisticRegressionTrainer_0.json",
                      std::string(kSpec) + "LogarithmicRegressionTrainer_0.json",
                      std::string(kSpec) + "ExponentialRegressionTrainer_0.json"));

TEST(WeightDocumentTest, WritesServedDocumentWithExtraMembersSorted) {
  const v1::WeightDocument doc = Parse(std::string(kSpec) + "SGDRegressorTrainer_0.json");
  rapidjson::Document root(rapidjson::kObjectType);
  root.AddMember("model_name", "SGDRegressorTrainer_0", root.GetAllocator());
  ASSERT_TRUE(AddWeightDocumentMembers(doc, &root, root.GetAllocator()).ok());
  auto text = WriteJson(root, JsonWriteOptions::Compact());
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, HasSubstr(R"({"model_name":"SGDRegressorTrainer_0","platform":{"All_Weights":{"Bias_Weight":64.09490407710854,"Categorical_Variables":{},"Numerical_Variables":{"bpf_cpu_time_ms":{"scale":3991.690709751875,"weight":59.546263263546})"));
}

TEST(WeightDocumentTest, WritesLegacyMeanAndVariance) {
  auto doc = ParseWeightDocument(
      R"({"core": {"All_Weights": {"Bias_Weight": 1, "Numerical_Variables": {"x": {"mean": 0, "variance": 0, "weight": 2, "scale": 4}}}}})");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(*WriteWeightDocument(*doc, {}),
            R"({"core":{"All_Weights":{"Bias_Weight":1.0,"Categorical_Variables":{},"Numerical_Variables":{"x":{"scale":4.0,"weight":2.0,"mean":0.0,"variance":0.0}}}}})");
}

TEST(WeightDocumentTest, MatchesKeysCaseInsensitivelyAsGoDoes) {
  auto doc = ParseWeightDocument(
      R"({"dram": {"all_weights": {"bias_weight": 2, "numerical_variables": {"x": {"SCALE": 4}}}}})");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->components(0).bias_weight(), 2);
  EXPECT_EQ(doc->components(0).numerical_variables(0).scale(), 4);
}

TEST(WeightDocumentTest, RejectsMalformedDocumentsNamingThePath) {
  const auto error = [](const char* text) {
    return std::string(ParseWeightDocument(text).status().message());
  };
  EXPECT_THAT(error(R"([1])"), HasSubstr("not a JSON object"));
  EXPECT_THAT(error(R"({"package": {"weights": 1}})"), HasSubstr("package: missing All_Weights"));
  EXPECT_THAT(error(R"({"package": {"All_Weights": {"Numerical_Variables": {"x": {"scale": "1"}}}}})"),
              HasSubstr("package.All_Weights.Numerical_Variables.x.scale: not a number"));
  EXPECT_THAT(error(R"({"package": {"All_Weights": {"Numerical_Variables": {"x": {"weight": 1}}}}})"),
              HasSubstr("x: missing scale"));
  EXPECT_THAT(error(R"({"package": {"All_Weights": {"Bias_Weight": NaN}}})"),
              HasSubstr("Bias_Weight: not a finite number"));
  EXPECT_THAT(error(R"({"package": {"All_Weights": {"CurveFit_Weights": [1, "a"]}}})"),
              HasSubstr("CurveFit_Weights[1]: not a number"));
  EXPECT_THAT(error(R"({"package": {"All_Weights": {"Categorical_Variables": {"cpu_architecture": {"Sky Lake": {"weight": 1}}}}}})"),
              HasSubstr("only {} is supported"));
  EXPECT_THAT(error(R"({"dram": {"All_Weights": {}}, "dram": {"All_Weights": {}}})"),
              HasSubstr("repeated component"));
  EXPECT_THAT(error(R"({"dram": {"All_Weights": {"XGboost_Weights": 3}}})"),
              HasSubstr("XGboost_Weights: not a string"));
  EXPECT_THAT(error("{"), HasSubstr("JSON parse error"));
}

TEST(WeightDocumentTest, WriteRejectsNonFiniteNumbers) {
  v1::WeightDocument doc;
  v1::ComponentWeights* c = doc.add_components();
  c->set_component("package");
  c->set_bias_weight(std::nan(""));
  EXPECT_EQ(WriteWeightDocument(doc, {}).status().code(), absl::StatusCode::kInvalidArgument);
  c->set_bias_weight(1);
  c->add_feature_names("x");  // no numerical variable for it
  EXPECT_FALSE(WriteWeightDocument(doc, {}).ok());
}

TEST(ValidateForKeplerTest, AcceptsWhatKeplerCanEvaluate) {
  EXPECT_TRUE(ValidateForKepler(Parse(std::string(kEc2) + "SGDRegressorTrainer_0.json"),
                                "SGDRegressorTrainer").ok());
  EXPECT_TRUE(ValidateForKepler(Parse(std::string(kKepler) + "acpi_AbsPowerModel.json"), "").ok());
  EXPECT_TRUE(ValidateForKepler(Parse(std::string(kEc2) + "LogarithmicRegressionTrainer_0.json"),
                                "LogarithmicRegressionTrainer").ok());
  EXPECT_TRUE(ValidateForKepler(Parse(std::string(kEc2) + "ExponentialRegressionTrainer_0.json"),
                                "ExponentialRegressionTrainer").ok());
  EXPECT_TRUE(ValidateForKepler(Parse(std::string(kSpec) + "LogisticRegressionTrainer_0.json"),
                                "LogisticRegressionTrainer").ok());
}

TEST(ValidateForKeplerTest, RejectsWhatWouldMakeKeplerPanic) {
  const v1::WeightDocument log = Parse(std::string(kEc2) + "LogarithmicRegressionTrainer_0.json");
  // Curve-fit weights sent where Kepler picks its linear predictor.
  EXPECT_THAT(ValidateForKepler(log, "").message(), HasSubstr("linear predictor"));
  EXPECT_FALSE(ValidateForKepler(log, "SGDRegressorTrainer").ok());
  // Three values where logistic needs four.
  EXPECT_THAT(ValidateForKepler(log, "LogisticRegressionTrainer").message(),
              HasSubstr("component package"));
  // Linear weights where a curve fit needs values.
  EXPECT_FALSE(ValidateForKepler(Parse(std::string(kEc2) + "SGDRegressorTrainer_0.json"),
                                 "ExponentialRegressionTrainer").ok());
  EXPECT_FALSE(ValidateForKepler(v1::WeightDocument(), "SGDRegressorTrainer").ok());
}

}  // namespace
}  // namespace kepler::model::core
