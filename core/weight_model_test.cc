#include "core/weight_model.h"

#include <cmath>
#include <string>

#include "core/file_util.h"
#include "core/weight_document.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Fixtures (testdata/README.md): published weight documents and Kepler's default weights.
constexpr char kEc2[] = "testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/";
constexpr char kSpec[] = "testdata/model-db/specpower-0.7.11/acpi/AbsPower/BPFOnly/";
constexpr char kCpu[] = "bpf_cpu_time_ms";
constexpr char kCache[] = "bpf_page_cache_hit";

v1::WeightDocument Doc(const std::string& path_or_json) {
  std::string text = path_or_json;
  if (path_or_json[0] != '{') {
    auto file = ReadFile(path_or_json);
    EXPECT_TRUE(file.ok()) << file.status();
    text = file.ok() ? *file : "";
  }
  auto doc = ParseWeightDocument(text);
  EXPECT_TRUE(doc.ok()) << doc.status();
  return doc.ok() ? *doc : v1::WeightDocument();
}

std::shared_ptr<const Model> Linear(const v1::WeightDocument& doc) {
  auto model = MakeLinearWeightModel(doc);
  EXPECT_TRUE(model.ok()) << model.status();
  return model.ok() ? *model : nullptr;
}

std::shared_ptr<const Model> Curve(const v1::WeightDocument& doc, CurveKind kind) {
  auto model = MakeCurveFitWeightModel(doc, kind, v1::BPFOnly);
  EXPECT_TRUE(model.ok()) << model.status();
  return model.ok() ? *model : nullptr;
}

// Rows of (bpf_cpu_time_ms, bpf_page_cache_hit), given in the opposite column order on purpose.
FeatureTable Rows(std::vector<std::pair<double, double>> rows) {
  FeatureTable table{{kCache, "unused", kCpu}, {}};
  for (auto [cpu, cache] : rows) table.values.insert(table.values.end(), {cache, -7.0, cpu});
  return table;
}

ComponentPowers Predict(const Model& model, const FeatureTable& table) {
  auto powers = model.Predict(table);
  EXPECT_TRUE(powers.ok()) << powers.status();
  return powers.ok() ? *powers : ComponentPowers();
}

double Var(const v1::ComponentWeights& c, int i, bool weight) {
  return weight ? c.numerical_variables(i).weight() : c.numerical_variables(i).scale();
}

// Contract §2.6: x = (100, 1) on the documented linear example gives 100.84 W.
TEST(LinearWeightModelTest, ContractExample) {
  auto model = Linear(Doc(R"({"package": {"All_Weights": {"Bias_Weight": 76.90168899374785,
      "Categorical_Variables": {}, "Numerical_Variables": {
      "bpf_cpu_time_ms": {"scale": 660.9333333333334, "weight": 43.713330062117166},
      "bpf_page_cache_hit": {"scale": 3.066666666666667, "weight": 53.14116744452537}}}}})"));
  ASSERT_NE(model, nullptr);
  EXPECT_THAT(model->features(), ElementsAre(kCpu, kCache));
  EXPECT_NEAR(Predict(*model, Rows({{100, 1}}))[0][0], 100.84, 0.005);
}

TEST(LinearWeightModelTest, PublishedSgdWeightsFollowTheFormula) {
  const v1::WeightDocument doc = Doc(std::string(kEc2) + "SGDRegressorTrainer_0.json");
  auto model = Linear(doc);
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->family(), "linear-weights");
  EXPECT_THAT(model->components(), ElementsAre("package", "core", "uncore", "dram"));
  const std::vector<std::pair<double, double>> rows = {{0, 0}, {50000, 3}, {95877, 1}};
  const ComponentPowers powers = Predict(*model, Rows(rows));
  for (int c = 0; c < 4; ++c) {
    const v1::ComponentWeights& w = doc.components(c);
    for (size_t r = 0; r < rows.size(); ++r) {
      const double expected = w.bias_weight() + Var(w, 0, true) * rows[r].first / Var(w, 0, false) +
                              Var(w, 1, true) * rows[r].second / Var(w, 1, false);
      EXPECT_NEAR(powers[c][r], expected, 1e-12 * std::abs(expected)) << c << "," << r;
    }
  }
}

// kepler-clients §1.6 real-weight vectors for Kepler's shipped acpi_AbsPowerModel.json.
TEST(LinearWeightModelTest, KeplerDefaultWeightsGiveKeplersNumbers) {
  auto model = Linear(Doc("testdata/kepler/model_weight/acpi_AbsPowerModel.json"));
  ASSERT_NE(model, nullptr);
  const ComponentPowers powers = Predict(*model, Rows({{0, 0}, {1000, 0}, {3991.69, 0}}));
  EXPECT_EQ(static_cast<uint64_t>(powers[0][0] * 1000), 63732u);
  EXPECT_EQ(static_cast<uint64_t>(powers[0][1] * 1000), 78947u);
  EXPECT_NEAR(powers[0][2], 124.468, 0.0005);
  for (const char* name : {"intel_rapl_AbsPowerModel.json", "intel_rapl_DynPowerModel.json",
                           "acpi_DynPowerModel.json"}) {
    auto other = Linear(Doc(std::string("testdata/kepler/model_weight/") + name));
    ASSERT_NE(other, nullptr) << name;
    EXPECT_TRUE(other->Predict(Rows({{1000, 2}})).ok()) << name;
  }
}

TEST(LinearWeightModelTest, ClampsNegativePowerToZero) {
  auto model = Linear(Doc(R"({"core": {"All_Weights": {"Bias_Weight": -5,
      "Numerical_Variables": {"bpf_cpu_time_ms": {"scale": 10, "weight": 1}}}}})"));
  ASSERT_NE(model, nullptr);
  EXPECT_THAT(Predict(*model, Rows({{10, 0}, {100, 0}}))[0], ElementsAre(0.0, 5.0));
}

TEST(LinearWeightModelTest, ZeroScaleContributesNothing) {
  auto model = Linear(Doc(R"({"core": {"All_Weights": {"Bias_Weight": 2,
      "Numerical_Variables": {"bpf_cpu_time_ms": {"scale": 0, "weight": 1}}}}})"));
  ASSERT_NE(model, nullptr);
  EXPECT_THAT(Predict(*model, Rows({{10, 0}}))[0], ElementsAre(2.0));
}

TEST(ModelTest, HandlesEmptyAndMalformedTables) {
  auto model = Linear(Doc(std::string(kEc2) + "SGDRegressorTrainer_0.json"));
  ASSERT_NE(model, nullptr);
  const ComponentPowers empty = Predict(*model, Rows({}));
  EXPECT_EQ(empty, ComponentPowers(4));
  auto missing = model->Predict(FeatureTable{{kCpu}, {1.0}});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(missing.status().message(), HasSubstr("missing feature bpf_page_cache_hit"));
  EXPECT_THAT(model->Predict(FeatureTable{{kCpu, kCache}, {1.0, 2.0, 3.0}}).status().message(),
              HasSubstr("3 values for 2 columns"));
  EXPECT_THAT(model->Predict(FeatureTable{{kCpu, kCache}, {1.0, NAN}}).status().message(),
              HasSubstr("bpf_page_cache_hit row 0 is not a finite number"));
}

TEST(LinearWeightModelTest, RejectsCurveFitWeights) {
  EXPECT_FALSE(MakeLinearWeightModel(Doc(std::string(kEc2) + "LogarithmicRegressionTrainer_0.json")).ok());
  EXPECT_FALSE(MakeLinearWeightModel(v1::WeightDocument()).ok());
}

double CurveValue(CurveKind kind, const v1::ComponentWeights& c, double x) {
  const auto& p = c.curve_fit_weights();
  switch (kind) {
    case CurveKind::kLogarithmic: return p[0] * std::log(p[1] * x + 1) + p[2];
    case CurveKind::kExponential: return p[0] * std::exp(p[1] * x) + p[2];
    case CurveKind::kLogistic: return p[0] / (1 + std::exp(-p[2] * (x - p[1]))) + p[3];
  }
  return 0;
}

struct CurveCase {
  const char* file;
  CurveKind kind;
  double at0, at1000;  // kepler-clients §1.6 real-weight vectors
};

class SpecpowerCurveTest : public ::testing::TestWithParam<CurveCase> {};

TEST_P(SpecpowerCurveTest, MatchesFormulaAndKeplerVectors) {
  const v1::WeightDocument doc = Doc(std::string(kSpec) + GetParam().file);
  auto model = Curve(doc, GetParam().kind);
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->family(), "curvefit-weights");
  const ComponentPowers powers = Predict(*model, Rows({{0, 5}, {1000, 5}, {2500, 0}}));
  const v1::ComponentWeights& platform = doc.components(0);
  const double scale = platform.numerical_variables(0).scale();
  EXPECT_NEAR(powers[0][0], GetParam().at0, 0.0005);
  EXPECT_NEAR(powers[0][1], GetParam().at1000, 0.0005);
  for (auto [row, x] : {std::make_pair(1, 1000.0), std::make_pair(2, 2500.0)}) {
    const double expected = CurveValue(GetParam().kind, platform, x / scale);
    EXPECT_NEAR(powers[0][row], expected, 1e-12 * expected);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Published, SpecpowerCurveTest,
    ::testing::Values(CurveCase{"LogisticRegressionTrainer_0.json", CurveKind::kLogistic, 63.085, 77.577},
                      CurveCase{"LogarithmicRegressionTrainer_0.json", CurveKind::kLogarithmic, 60.091, 78.747},
                      CurveCase{"ExponentialRegressionTrainer_0.json", CurveKind::kExponential, 62.678, 78.309}));

// BPFOnly: package/core/uncore read bpf_cpu_time_ms, dram reads bpf_page_cache_hit (§0.2).
TEST(CurveFitWeightModelTest, DramReadsTheDramFeature) {
  for (auto [file, kind] : {std::make_pair("LogarithmicRegressionTrainer_0.json", CurveKind::kLogarithmic),
                            std::make_pair("ExponentialRegressionTrainer_0.json", CurveKind::kExponential)}) {
    const v1::WeightDocument doc = Doc(std::string(kEc2) + file);
    auto model = Curve(doc, kind);
    ASSERT_NE(model, nullptr);
    const ComponentPowers p = Predict(*model, Rows({{20000, 0.5}, {20000, 0.9}}));
    EXPECT_EQ(p[0][0], p[0][1]) << file;  // package ignores the cache feature
    const double pkg = CurveValue(kind, doc.components(0), 20000 / doc.components(0).numerical_variables(0).scale());
    EXPECT_NEAR(p[0][0], std::max(pkg, 0.0), 1e-9 * std::abs(pkg)) << file;
    const double dram = CurveValue(kind, doc.components(3), 0.9 / doc.components(3).numerical_variables(1).scale());
    EXPECT_NEAR(p[3][1], std::max(dram, 0.0), 1e-9 * std::abs(dram)) << file;
  }
}

TEST(CurveFitWeightModelTest, InfersTheFeatureGroup) {
  const v1::WeightDocument doc = Doc(std::string(kSpec) + "LogisticRegressionTrainer_0.json");
  EXPECT_TRUE(MakeCurveFitWeightModel(doc, CurveKind::kLogistic, v1::FEATURE_GROUP_UNSPECIFIED).ok());
  EXPECT_EQ(*InferFeatureGroup({kCache, kCpu}), v1::BPFOnly);
  EXPECT_EQ(InferFeatureGroup({kCpu}).status().code(), absl::StatusCode::kNotFound);
}

TEST(CurveFitWeightModelTest, RejectsWrongParameterCountsAndFeatures) {
  const v1::WeightDocument log = Doc(std::string(kSpec) + "LogarithmicRegressionTrainer_0.json");
  EXPECT_THAT(MakeCurveFitWeightModel(log, CurveKind::kLogistic, v1::BPFOnly).status().message(),
              HasSubstr("expected 4 CurveFit_Weights, got 3"));
  EXPECT_THAT(MakeCurveFitWeightModel(log, CurveKind::kLogarithmic, v1::CounterOnly).status().message(),
              HasSubstr("no scale for feature cpu_instructions"));
  EXPECT_FALSE(MakeCurveFitWeightModel(Doc(std::string(kSpec) + "SGDRegressorTrainer_0.json"),
                                       CurveKind::kExponential, v1::BPFOnly).ok());
}

TEST(CurveFitWeightModelTest, NonFinitePredictionIsAnError) {
  auto model = Curve(Doc(R"({"package": {"All_Weights": {"Numerical_Variables": {
      "bpf_cpu_time_ms": {"scale": 1}, "bpf_page_cache_hit": {"scale": 1}},
      "CurveFit_Weights": [1, -1, 0]}}})"), CurveKind::kLogarithmic);
  ASSERT_NE(model, nullptr);
  EXPECT_THAT(model->Predict(Rows({{2, 0}})).status().message(), HasSubstr("non-finite"));
}

TEST(CurveKindOfTest, MapsCurveFitTrainers) {
  EXPECT_EQ(CurveKindOf("LogisticRegressionTrainer"), CurveKind::kLogistic);
  EXPECT_EQ(CurveKindOf("SGDRegressorTrainer"), absl::nullopt);
}

}  // namespace
}  // namespace kepler::model::core
