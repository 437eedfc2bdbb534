#include "trainer/curve_fit_trainer.h"

#include <cmath>

#include "core/regression_math.h"
#include "gtest/gtest.h"
#include "trainer/testing/trainer_checks.h"

namespace kepler::model::trainer {
namespace {

using core::CurveKind;

struct CurveCase {
  v1::TrainerName trainer;
  CurveKind kind;
  std::vector<double> truth;
};

// y = curve(x1) + noise, with x0 irrelevant: the fit must read column main_feature_index = 1.
testing::Dataset CurveData(const CurveCase& c, double noise) {
  return testing::MakeDataset(1500, 2, 11, noise, [&c](const Eigen::RowVectorXd& x) {
    return core::EvaluateCurve(c.kind, c.truth.data(), x[1]);
  });
}

class CurveFitTrainerTest : public ::testing::TestWithParam<CurveCase> {};

TEST_P(CurveFitTrainerTest, RecoversKnownParametersFromTheMainFeature) {
  const CurveCase& c = GetParam();
  const testing::Dataset d = CurveData(c, 0.1);
  auto trainer = MakeTrainer(c.trainer, TrainerContext{0, /*main_feature_index=*/1});
  ASSERT_TRUE(trainer.ok()) << trainer.status();
  const absl::Status fit = (*trainer)->Fit(d.x, d.y);
  ASSERT_TRUE(fit.ok()) << fit;
  const core::LinearFamilyParams& p = *static_cast<CurveFitTrainer&>(**trainer).fitted();
  EXPECT_EQ(p.feature_index, 1);
  ASSERT_EQ(p.params.size(), c.truth.size());
  for (size_t i = 0; i < c.truth.size(); ++i) {
    EXPECT_NEAR(p.params[i], c.truth[i], 0.05 * std::abs(c.truth[i]) + 0.05) << "param " << i;
  }
  const double mae = ((*trainer)->Predict(d.x) - d.y).cwiseAbs().mean();
  EXPECT_LT(mae, 0.09);  // E|noise| for sd 0.1 is 0.08
}

TEST_P(CurveFitTrainerTest, SavedModelAndWeightDocumentPredictLikeTheTrainer) {
  const CurveCase& c = GetParam();
  const testing::Dataset d = CurveData(c, 0.5);
  // BPFOnly: bpf_cpu_time_ms is the main feature (index 0), bpf_page_cache_hit the dram one (1).
  const Eigen::MatrixXd raw = d.x * Eigen::Vector2d(600, 3).asDiagonal();
  auto scaler = MaxAbsScaler::Fit(raw, {"bpf_cpu_time_ms", "bpf_page_cache_hit"});
  ASSERT_TRUE(scaler.ok());
  const Eigen::MatrixXd x = scaler->Transform(raw);
  auto package = MakeTrainer(c.trainer, TrainerContext{0, 0});
  auto dram = MakeTrainer(c.trainer, TrainerContext{0, 1});
  ASSERT_TRUE(package.ok() && dram.ok());
  ASSERT_TRUE((*dram)->Fit(x, d.y).ok());
  // The package label follows the main feature.
  Eigen::VectorXd y0(x.rows());
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    y0[r] = core::EvaluateCurve(c.kind, c.truth.data(), d.x(r, 0));
  }
  ASSERT_TRUE((*package)->Fit(x, y0).ok());
  const std::vector<FittedComponent> parts = {{"package", package->get()}, {"dram", dram->get()}};

  const Eigen::MatrixXd rows = raw.topRows(25);
  auto served = testing::ServeAndPredict(*scaler, parts, rows, "BPFOnly");
  auto kepler = testing::PredictFromWeights(*scaler, parts, rows, v1::BPFOnly);
  ASSERT_TRUE(served.ok()) << served.status();
  ASSERT_TRUE(kepler.ok()) << kepler.status();
  const Eigen::VectorXd own[2] = {(*package)->Predict(x.topRows(25)), (*dram)->Predict(x.topRows(25))};
  for (int k = 0; k < 2; ++k) {
    for (int r = 0; r < 25; ++r) {
      EXPECT_EQ((*served)[k][r], std::max(0.0, own[k][r])) << k << "," << r;
      EXPECT_NEAR((*kepler)[k][r], std::max(0.0, own[k][r]), 1e-9) << k << "," << r;
    }
  }
  auto diff = testing::RoundTripMaxDifference(**dram, x);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(*diff, 0.0);
}

INSTANTIATE_TEST_SUITE_P(
    Curves, CurveFitTrainerTest,
    ::testing::Values(
        CurveCase{v1::LogarithmicRegressionTrainer, CurveKind::kLogarithmic, {50, 3, 20}},
        CurveCase{v1::ExponentialRegressionTrainer, CurveKind::kExponential, {10, 1.5, 30}},
        CurveCase{v1::LogisticRegressionTrainer, CurveKind::kLogistic, {80, 0.4, 10, 20}}),
    [](const ::testing::TestParamInfo<CurveCase>& info) {
      return core::CurveName(info.param.kind);
    });

TEST(CurveFitStartValuesTest, AreTheReferenceStartValues) {
  Eigen::VectorXd y(4);
  y << 10, 20, 30, 40;  // range 30, std sqrt(125) = 11.18
  auto log = CurveFitTrainer::StartValues(CurveKind::kLogarithmic, y);
  auto exp = CurveFitTrainer::StartValues(CurveKind::kExponential, y);
  auto logistic = CurveFitTrainer::StartValues(CurveKind::kLogistic, y);
  ASSERT_TRUE(log.ok() && exp.ok() && logistic.ok());
  EXPECT_EQ(*log, Eigen::Vector3d(30, 1, 10));
  EXPECT_EQ(*exp, Eigen::Vector3d(11, 1, -1));  // floor(30 / e) = 11
  EXPECT_EQ(*logistic, Eigen::Vector4d(30, 0.5, 2, 10));  // floor(30 / 11.18) = 2
}

TEST(CurveFitTrainerErrorsTest, FailuresAreReportedNotArchived) {
  CurveFitTrainer logistic(CurveKind::kLogistic, TrainerContext{0, 0});
  // Constant labels: the logistic start value divides by std(y) = 0.
  EXPECT_EQ(logistic.Fit(Eigen::MatrixXd::Random(10, 1), Eigen::VectorXd::Constant(10, 5)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(logistic.SaveJson().status().code(), absl::StatusCode::kFailedPrecondition);
  // Fewer rows than parameters.
  EXPECT_EQ(logistic.Fit(Eigen::MatrixXd::Ones(3, 1), Eigen::Vector3d(1, 2, 3)).code(),
            absl::StatusCode::kFailedPrecondition);
  // Main feature outside the matrix.
  CurveFitTrainer outside(CurveKind::kLogarithmic, TrainerContext{0, 2});
  EXPECT_EQ(outside.Fit(Eigen::MatrixXd::Ones(5, 2), Eigen::VectorXd::Ones(5)).code(),
            absl::StatusCode::kInvalidArgument);
  // A saved curve of another kind does not load as this trainer.
  CurveFitTrainer log(CurveKind::kLogarithmic, TrainerContext{0, 0});
  Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(20, 0, 1);
  ASSERT_TRUE(log.Fit(x, (3 * x.array() + 1).log().matrix()).ok());
  auto json = log.SaveJson();
  ASSERT_TRUE(json.ok());
  EXPECT_TRUE(LoadTrainer(v1::LogarithmicRegressionTrainer, *json, {}).ok());
  EXPECT_FALSE(LoadTrainer(v1::LogisticRegressionTrainer, *json, {}).ok());
}

}  // namespace
}  // namespace kepler::model::trainer
