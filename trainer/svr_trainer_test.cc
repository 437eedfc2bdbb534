#include "trainer/svr_trainer.h"

#include <cmath>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "trainer/testing/regression_data.h"
#include "trainer/testing/sklearn_golden.h"
#include "trainer/trainer.h"

namespace kepler::model::trainer {
namespace {

using ::testing::DoubleNear;
using testing::MakeRegressionData;
using testing::MeanAbsoluteError;
using testing::Shape;

TEST(SvrTrainerTest, GammaScaleIsOneOverFeaturesTimesVariance) {
  Eigen::MatrixXd x(2, 2);
  x << 0, 1, 1, 0;  // variance of {0, 1, 1, 0} = 0.25
  EXPECT_DOUBLE_EQ(SVRRegressorTrainer::ScaleGamma(x), 2.0);
  EXPECT_EQ(SVRRegressorTrainer::ScaleGamma(Eigen::MatrixXd::Constant(3, 2, 0.7)), 1.0);
}

TEST(SvrTrainerTest, MatchesScikitLearnOnTheGoldenData) {
  SVRRegressorTrainer trainer;
  ASSERT_TRUE(trainer.Fit(testing::GoldenX(), testing::GoldenY()).ok());
  EXPECT_NEAR(trainer.params()->gamma, 3.9350688028590732, 1e-12);
  EXPECT_NEAR(trainer.params()->intercept, 45.55874352, 1e-2);
  EXPECT_EQ(trainer.params()->dual_coef.size(), 40u);
  const Eigen::VectorXd p = trainer.Predict(testing::GoldenQuery());
  const Eigen::VectorXd golden = testing::GoldenSvr();
  // libsvm stops at tolerance 1e-3, as scikit-learn's copy of it does; both take the same steps.
  for (int i = 0; i < 8; ++i) EXPECT_THAT(p(i), DoubleNear(golden(i), 1e-3)) << "row " << i;
}

TEST(SvrTrainerTest, DualCoefficientsAreBoundedByC) {
  const auto data = MakeRegressionData(Shape::kPower, 300, 4, /*seed=*/1, /*noise=*/1.0);
  SVRRegressorTrainer trainer;
  ASSERT_TRUE(trainer.Fit(data.x, data.y).ok());
  for (double a : trainer.params()->dual_coef) EXPECT_LE(std::abs(a), 1.0 + 1e-12);
}

TEST(SvrTrainerTest, SampleRowsAreEvenlySpacedAndDistinct) {
  EXPECT_EQ(SVRRegressorTrainer::SampleRows(3, 5), (std::vector<Eigen::Index>{0, 1, 2}));
  EXPECT_EQ(SVRRegressorTrainer::SampleRows(3, 0), (std::vector<Eigen::Index>{0, 1, 2}));
  EXPECT_EQ(SVRRegressorTrainer::SampleRows(10, 4), (std::vector<Eigen::Index>{0, 3, 6, 9}));
  const auto sample = SVRRegressorTrainer::SampleRows(6480, 2500);
  ASSERT_EQ(sample.size(), 2500u);
  EXPECT_EQ(sample.front(), 0);
  EXPECT_EQ(sample.back(), 6479);
  for (size_t i = 1; i < sample.size(); ++i) EXPECT_LT(sample[i - 1], sample[i]);
}

TEST(SvrTrainerTest, AboveMaxRowsFitsASampleWithCScaledToTheFullSum) {
  // Watts-sized targets: at C = 1 the fit is bound by C, as in the pipeline.
  const auto data = MakeRegressionData(Shape::kPower, 1000, 4, /*seed=*/5, /*noise=*/2.0);
  const auto train = testing::Head(data, 900), test = testing::Tail(data, 900);
  SVRRegressorTrainer full;
  ASSERT_TRUE(full.Fit(train.x, train.y).ok());
  SvrOptions bounded_options;
  bounded_options.max_rows = 300;
  SVRRegressorTrainer bounded(bounded_options);
  ASSERT_TRUE(bounded.Fit(train.x, train.y).ok());
  EXPECT_LE(bounded.params()->dual_coef.size(), 300u);
  EXPECT_EQ(bounded.params()->gamma, full.params()->gamma) << "gamma from every row";
  double largest = 0;
  for (double a : bounded.params()->dual_coef) largest = std::max(largest, std::abs(a));
  EXPECT_LE(largest, 3.0 + 1e-12) << "C = 1 * 900 / 300";
  EXPECT_GT(largest, 1.0);
  const double full_mae = MeanAbsoluteError(test.y, full.Predict(test.x));
  EXPECT_LT(MeanAbsoluteError(test.y, bounded.Predict(test.x)), 1.25 * full_mae);
}

TEST(SvrTrainerTest, FitsASmoothSurfaceWithinTheTube) {
  // Targets within a few watts: C = 1 bounds each coefficient, so SVR suits small ranges.
  auto data = MakeRegressionData(Shape::kSmooth, 1200, 3, /*seed=*/2, /*noise=*/0.1);
  data.y = (data.y.array() - 40) / 20;  // about 0..5
  const auto train = testing::Head(data, 1000), test = testing::Tail(data, 1000);
  SVRRegressorTrainer trainer;
  ASSERT_TRUE(trainer.Fit(train.x, train.y).ok());
  const double baseline = (test.y.array() - train.y.mean()).abs().mean();
  const double mae = MeanAbsoluteError(test.y, trainer.Predict(test.x));
  EXPECT_LT(mae, 0.2) << "baseline " << baseline;  // about the tube's width
}

TEST(SvrTrainerTest, SavedJsonLoadsToIdenticalPredictions) {
  const auto data = MakeRegressionData(Shape::kPower, 200, 5, /*seed=*/3, /*noise=*/2.0);
  auto trainer = MakeTrainer(v1::SVRRegressorTrainer, {});
  ASSERT_TRUE(trainer.ok()) << trainer.status();
  ASSERT_TRUE((*trainer)->Fit(data.x, data.y).ok());
  auto json = (*trainer)->SaveJson();
  ASSERT_TRUE(json.ok()) << json.status();
  auto loaded = LoadTrainer(v1::SVRRegressorTrainer, *json, {});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->name(), v1::SVRRegressorTrainer);
  EXPECT_EQ((*trainer)->Predict(data.x), (*loaded)->Predict(data.x));
}

TEST(SvrTrainerTest, DegenerateInputs) {
  SVRRegressorTrainer trainer;
  const auto data = MakeRegressionData(Shape::kSmooth, 30, 3, /*seed=*/4);
  // Constant targets lie inside the tube: no support vectors, f = the constant.
  ASSERT_TRUE(trainer.Fit(data.x, Eigen::VectorXd::Constant(30, 3.0)).ok());
  EXPECT_THAT(trainer.Predict(data.x)(0), DoubleNear(3.0, 1e-9));

  ASSERT_TRUE(trainer.Fit(Eigen::MatrixXd::Constant(30, 3, 0.5), data.y).ok());
  EXPECT_EQ(trainer.params()->gamma, 1.0);
  const double p = trainer.Predict(data.x.topRows(1))(0);
  EXPECT_GE(p, data.y.minCoeff());
  EXPECT_LE(p, data.y.maxCoeff());

  ASSERT_TRUE(trainer.Fit(Eigen::MatrixXd::Constant(1, 3, 0.5), Eigen::VectorXd::Constant(1, 2))
                  .ok());
  EXPECT_TRUE(std::isfinite(trainer.Predict(data.x)(0)));

  Eigen::MatrixXd x = data.x;
  x(0, 0) = NAN;
  EXPECT_EQ(trainer.Fit(x, data.y).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(trainer.SaveJson().status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(LoadTrainer(v1::SVRRegressorTrainer, "[]", {}).ok());
}

}  // namespace
}  // namespace kepler::model::trainer
