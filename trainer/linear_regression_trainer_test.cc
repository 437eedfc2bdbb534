#include "trainer/linear_regression_trainer.h"

#include "gtest/gtest.h"
#include "trainer/testing/trainer_checks.h"

namespace kepler::model::trainer {
namespace {

using testing::MakeDataset;

// y = 3 + 2·x0 + 0.5·x1 + noise; x2 irrelevant.
testing::Dataset LinearData(double noise, double w1 = 0.5) {
  return MakeDataset(2000, 3, 42, noise,
                     [w1](const Eigen::RowVectorXd& x) { return 3 + 2 * x[0] + w1 * x[1]; });
}

std::unique_ptr<Trainer> FitOrDie(const testing::Dataset& d) {
  auto trainer = MakeTrainer(v1::LinearRegressionTrainer, {});
  EXPECT_TRUE(trainer.ok()) << trainer.status();
  const absl::Status fit = (*trainer)->Fit(d.x, d.y);
  EXPECT_TRUE(fit.ok()) << fit;
  return std::move(*trainer);
}

TEST(LinearRegressionTrainerTest, RecoversKnownCoefficientsAndIntercept) {
  auto trainer = FitOrDie(LinearData(0.01));
  auto* linear = static_cast<LinearRegressionTrainer*>(trainer.get());
  const core::LinearFamilyParams& p = *linear->fitted();
  EXPECT_NEAR(p.intercept, 3.0, 0.01);
  EXPECT_NEAR(p.coef[0], 2.0, 0.01);
  EXPECT_NEAR(p.coef[1], 0.5, 0.01);
  EXPECT_NEAR(p.coef[2], 0.0, 0.01);
  EXPECT_GE(p.coef[2], 0.0);
}

TEST(LinearRegressionTrainerTest, NegativeEffectGetsZeroCoefficientNotANegativeOne) {
  auto trainer = FitOrDie(LinearData(0.01, /*w1=*/-1.0));
  const core::LinearFamilyParams& p =
      *static_cast<LinearRegressionTrainer*>(trainer.get())->fitted();
  EXPECT_EQ(p.coef[1], 0.0);
  EXPECT_NEAR(p.coef[0], 2.0, 0.02);
  // The intercept absorbs the mean of the dropped term: 3 - 1·E[x1] = 2.5.
  EXPECT_NEAR(p.intercept, 2.5, 0.05);
}

TEST(LinearRegressionTrainerTest, SavedModelPredictsIdenticallyAfterLoadAndServe) {
  const testing::Dataset d = LinearData(0.5);
  auto scaler = MaxAbsScaler::Fit(d.x * 100.0, {"cache_miss", "cpu_cycles", "cpu_instructions"});
  ASSERT_TRUE(scaler.ok());
  auto trainer = FitOrDie(testing::Dataset{scaler->Transform(d.x * 100.0), d.y});
  auto diff = testing::RoundTripMaxDifference(*trainer, d.x);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(*diff, 0.0);

  const Eigen::MatrixXd raw = d.x.topRows(20) * 100.0;
  const Eigen::VectorXd expected = trainer->Predict(scaler->Transform(raw)).cwiseMax(0.0);
  auto served = testing::ServeAndPredict(*scaler, {{"package", trainer.get()}}, raw);
  ASSERT_TRUE(served.ok()) << served.status();
  for (int r = 0; r < 20; ++r) EXPECT_EQ((*served)[0][r], expected[r]) << r;

  // The on-disk weight document validates for Kepler and predicts the same watts.
  auto weights = testing::PredictFromWeights(*scaler, {{"package", trainer.get()}}, raw,
                                             v1::CounterOnly);
  ASSERT_TRUE(weights.ok()) << weights.status();
  for (int r = 0; r < 20; ++r) EXPECT_NEAR((*weights)[0][r], expected[r], 1e-9) << r;
}

TEST(LinearRegressionTrainerTest, RejectsBadInputAndStaysUnfitted) {
  auto trainer = MakeTrainer(v1::LinearRegressionTrainer, {});
  ASSERT_TRUE(trainer.ok());
  EXPECT_EQ((*trainer)->Fit(Eigen::MatrixXd::Ones(3, 2), Eigen::VectorXd::Ones(2)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*trainer)->SaveJson().status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(std::isnan((*trainer)->Predict(Eigen::MatrixXd::Ones(1, 2))[0]));
  EXPECT_FALSE(LoadTrainer(v1::LinearRegressionTrainer,
                           R"({"model": "SGDRegressor", "n_features": 1, "coef": [1],
                               "intercept": 0})",
                           {})
                   .ok());
}

}  // namespace
}  // namespace kepler::model::trainer
