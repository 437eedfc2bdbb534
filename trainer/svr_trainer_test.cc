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
