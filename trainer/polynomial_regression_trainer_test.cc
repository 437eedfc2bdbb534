#include "trainer/polynomial_regression_trainer.h"

#include "gtest/gtest.h"
#include "trainer/testing/trainer_checks.h"

namespace kepler::model::trainer {
namespace {

TEST(PolynomialRegressionTrainerTest, RecoversQuadraticInScikitLearnTermOrder) {
  // y = 1 + 2·x0 + 3·x1² + 4·x0·x1 (no noise): terms 1, x0, x1, x0², x0x1, x1².
  const testing::Dataset d = testing::MakeDataset(300, 2, 5, 0.0, [](const Eigen::RowVectorXd& x) {
    return 1 + 2 * x[0] + 3 * x[1] * x[1] + 4 * x[0] * x[1];
  });
  PolynomialRegressionTrainer trainer({});
  ASSERT_TRUE(trainer.Fit(d.x, d.y).ok());
  const core::LinearFamilyParams& p = *trainer.fitted();
  ASSERT_EQ(p.coef.size(), 6u);
  const std::vector<double> truth = {0, 2, 0, 0, 4, 3};
  for (size_t i = 0; i < truth.size(); ++i) EXPECT_NEAR(p.coef[i], truth[i], 1e-9) << i;
  EXPECT_NEAR(p.intercept, 1.0, 1e-9);
  EXPECT_EQ(p.coef[0], 0.0);  // the constant bias column gets no weight, as in scikit-learn
}

TEST(PolynomialRegressionTrainerTest, NoisyFitBeatsNoiseLevelAndServesIdentically) {
  const testing::Dataset d = testing::MakeDataset(2000, 3, 9, 1.0, [](const Eigen::RowVectorXd& x) {
    return 40 + 30 * x[0] + 20 * x[0] * x[0] + 10 * x[1] * x[2];
  });
  const Eigen::MatrixXd raw = d.x * 50.0;
  auto scaler = MaxAbsScaler::Fit(raw, {"cache_miss", "cpu_cycles", "cpu_instructions"});
  ASSERT_TRUE(scaler.ok());
  auto trainer = MakeTrainer(v1::PolynomialRegressionTrainer, {});
  ASSERT_TRUE(trainer.ok());
  ASSERT_TRUE((*trainer)->Fit(scaler->Transform(raw), d.y).ok());
  const double mae = ((*trainer)->Predict(scaler->Transform(raw)) - d.y).cwiseAbs().mean();
  EXPECT_LT(mae, 0.85);  // noise sd 1 → E|noise| ≈ 0.80

  auto diff = testing::RoundTripMaxDifference(**trainer, scaler->Transform(raw));
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(*diff, 0.0);
  auto served = testing::ServeAndPredict(*scaler, {{"platform", trainer->get()}}, raw.topRows(5));
  ASSERT_TRUE(served.ok()) << served.status();
  const Eigen::VectorXd expected = (*trainer)->Predict(scaler->Transform(raw.topRows(5)));
  for (int r = 0; r < 5; ++r) EXPECT_EQ((*served)[0][r], std::max(0.0, expected[r]));
  // No weight document for this family (§2.6).
  EXPECT_EQ((*trainer)->WeightComponent("platform", scaler->features(), scaler->scale())
                .status()
                .code(),
            absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace kepler::model::trainer
