#include "trainer/sgd_regressor_trainer.h"

#include "gtest/gtest.h"
#include "trainer/testing/trainer_checks.h"

namespace kepler::model::trainer {
namespace {

testing::Dataset LinearData(int rows, double noise) {
  return testing::MakeDataset(rows, 3, 7, noise, [](const Eigen::RowVectorXd& x) {
    return 3 + 2 * x[0] + 0.5 * x[1];
  });
}

const core::LinearFamilyParams& Fitted(const Trainer& t) {
  return *static_cast<const SGDRegressorTrainer&>(t).fitted();
}

TEST(SGDRegressorTrainerTest, ApproachesKnownCoefficients) {
  const testing::Dataset d = LinearData(5000, 0.05);
  SGDRegressorTrainer trainer(TrainerContext{1});
  ASSERT_TRUE(trainer.Fit(d.x, d.y).ok());
  const core::LinearFamilyParams& p = *trainer.fitted();
  // SGD with the reference's decaying step stops near, not at, the optimum.
  EXPECT_NEAR(p.intercept, 3.0, 0.1);
  EXPECT_NEAR(p.coef[0], 2.0, 0.1);
  EXPECT_NEAR(p.coef[1], 0.5, 0.1);
  EXPECT_NEAR(p.coef[2], 0.0, 0.1);
  EXPECT_GT(trainer.epochs(), 5);
  EXPECT_LT(trainer.epochs(), 1000);  // stopped by tol, not by max_iter
  const double mae = (trainer.Predict(d.x) - d.y).cwiseAbs().mean();
  EXPECT_LT(mae, 0.1);
}

TEST(SGDRegressorTrainerTest, SameSeedSameModelOtherSeedOtherShuffle) {
  const testing::Dataset d = LinearData(500, 0.2);
  auto a = MakeTrainer(v1::SGDRegressorTrainer, TrainerContext{3});
  auto b = MakeTrainer(v1::SGDRegressorTrainer, TrainerContext{3});
  auto c = MakeTrainer(v1::SGDRegressorTrainer, TrainerContext{4});
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  ASSERT_TRUE((*a)->Fit(d.x, d.y).ok());
  ASSERT_TRUE((*b)->Fit(d.x, d.y).ok());
  ASSERT_TRUE((*c)->Fit(d.x, d.y).ok());
  EXPECT_EQ(Fitted(**a).coef, Fitted(**b).coef);
  EXPECT_EQ(Fitted(**a).intercept, Fitted(**b).intercept);
  EXPECT_NE(Fitted(**a).coef, Fitted(**c).coef);
}

TEST(SGDRegressorTrainerTest, FollowsTheInvscalingScheduleOnOneSample) {
  // One row x = (1), y = 2, max_iter 1: w = b = -eta·(0 − 2) = 0.02 after the only update
  // (the L2 shrink is applied to w = 0 first).
  SgdOptions options;
  options.max_iter = 1;
  SGDRegressorTrainer trainer({}, options);
  ASSERT_TRUE(trainer.Fit(Eigen::MatrixXd::Ones(1, 1), Eigen::VectorXd::Constant(1, 2.0)).ok());
  EXPECT_DOUBLE_EQ(trainer.fitted()->coef[0], 0.02);
  EXPECT_DOUBLE_EQ(trainer.fitted()->intercept, 0.02);
  // A second epoch: t = 2, eta = 0.01 / 2^0.25, p = 0.04, w = 0.02·(1 − eta·1e-4) + eta·1.96.
  options.max_iter = 2;
  SGDRegressorTrainer two({}, options);
  ASSERT_TRUE(two.Fit(Eigen::MatrixXd::Ones(1, 1), Eigen::VectorXd::Constant(1, 2.0)).ok());
  const double eta = 0.01 / std::pow(2.0, 0.25);
  EXPECT_NEAR(two.fitted()->coef[0], 0.02 * (1 - eta * 1e-4) + eta * 1.96, 1e-15);
  EXPECT_NEAR(two.fitted()->intercept, 0.02 + eta * 1.96, 1e-15);
}

TEST(SGDRegressorTrainerTest, WeightsValidateForKeplerAndMatchTheServedModel) {
  const testing::Dataset d = LinearData(1000, 0.2);
  const Eigen::MatrixXd raw = d.x * Eigen::Vector3d(600, 3, 10).asDiagonal();
  // BPFOnly has two features: the first two columns.
  auto scaler2 = MaxAbsScaler::Fit(raw.leftCols(2), {"bpf_cpu_time_ms", "bpf_page_cache_hit"});
  ASSERT_TRUE(scaler2.ok());
  SGDRegressorTrainer package(TrainerContext{1}), dram(TrainerContext{2});
  const Eigen::MatrixXd x = scaler2->Transform(raw.leftCols(2));
  ASSERT_TRUE(package.Fit(x, d.y).ok());
  ASSERT_TRUE(dram.Fit(x, 0.5 * d.y).ok());
  const std::vector<FittedComponent> parts = {{"package", &package}, {"dram", &dram}};

  auto weights = WeightDocumentOf(*scaler2, parts);
  ASSERT_TRUE(weights.ok()) << weights.status();
  ASSERT_EQ(weights->components_size(), 2);
  const v1::ComponentWeights& w = weights->components(0);
  EXPECT_EQ(w.component(), "package");
  EXPECT_EQ(w.bias_weight(), package.fitted()->intercept);
  EXPECT_EQ(w.feature_names(1), "bpf_page_cache_hit");
  EXPECT_EQ(w.numerical_variables(1).scale(), scaler2->scale()[1]);
  EXPECT_EQ(w.numerical_variables(1).weight(), package.fitted()->coef[1]);
  EXPECT_EQ(w.curve_fit_weights_size(), 0);

  const Eigen::MatrixXd rows = raw.leftCols(2).topRows(10);
  auto served = testing::ServeAndPredict(*scaler2, parts, rows);
  auto kepler = testing::PredictFromWeights(*scaler2, parts, rows, v1::BPFOnly);
  ASSERT_TRUE(served.ok()) << served.status();
  ASSERT_TRUE(kepler.ok()) << kepler.status();
  for (int c = 0; c < 2; ++c) {
    for (int r = 0; r < 10; ++r) EXPECT_NEAR((*served)[c][r], (*kepler)[c][r], 1e-9);
  }
  auto diff = testing::RoundTripMaxDifference(package, x);
  ASSERT_TRUE(diff.ok());
  EXPECT_EQ(*diff, 0.0);
}

}  // namespace
}  // namespace kepler::model::trainer
