#include "trainer/xgboost_trainer.h"

#include <cmath>
#include <string>

#include "absl/strings/escaping.h"
#include "core/xgboost_model.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "trainer/testing/regression_data.h"
#include "trainer/testing/sklearn_golden.h"
#include "trainer/trainer.h"

namespace kepler::model::trainer {
namespace {

using ::testing::DoubleNear;
using ::testing::HasSubstr;
using testing::MakeRegressionData;
using testing::MeanAbsoluteError;
using testing::Shape;

TEST(XgboostTrainerTest, MatchesPythonXgboostOnTheGoldenData) {
  XgboostFitTrainer trainer;
  const absl::Status fit = trainer.Fit(testing::GoldenX(), testing::GoldenY());
  ASSERT_TRUE(fit.ok()) << fit;
  EXPECT_EQ(trainer.rounds(), 100);
  const Eigen::VectorXd p = trainer.Predict(testing::GoldenQuery());
  const Eigen::VectorXd golden = testing::GoldenXgboost();
  for (int i = 0; i < 8; ++i) EXPECT_THAT(p(i), DoubleNear(golden(i), 1e-4)) << "row " << i;
}

TEST(XgboostTrainerTest, LearnsAStepFunction) {
  const auto data = MakeRegressionData(Shape::kStep, 1200, 5, /*seed=*/1);
  const auto train = testing::Head(data, 1000), test = testing::Tail(data, 1000);
  XgboostFitTrainer trainer;
  ASSERT_TRUE(trainer.Fit(train.x, train.y).ok());
  // 100 rounds of eta 0.1 from base_score 0.5 leave 0.9^100 of the initial error.
  EXPECT_LT(MeanAbsoluteError(test.y, trainer.Predict(test.x)), 0.05);
}

TEST(XgboostTrainerTest, ApproximatesASmoothSurface) {
  const auto data = MakeRegressionData(Shape::kSmooth, 2400, 5, /*seed=*/2, /*noise=*/1.0);
  const auto train = testing::Head(data, 2000), test = testing::Tail(data, 2000);
  XgboostFitTrainer trainer;
  ASSERT_TRUE(trainer.Fit(train.x, train.y).ok());
  const double baseline = (test.y.array() - train.y.mean()).abs().mean();
  EXPECT_LT(MeanAbsoluteError(test.y, trainer.Predict(test.x)), baseline / 8);
}

TEST(XgboostTrainerTest, SavedJsonIsXgboostJsonAndLoadsToIdenticalPredictions) {
  const auto data = MakeRegressionData(Shape::kPower, 400, 4, /*seed=*/3, /*noise=*/2.0);
  auto trainer = MakeTrainer(v1::XgboostFitTrainer, {});
  ASSERT_TRUE(trainer.ok()) << trainer.status();
  ASSERT_TRUE((*trainer)->Fit(data.x, data.y).ok());
  auto json = (*trainer)->SaveJson();
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_THAT(*json, HasSubstr("\"learner\""));
  auto loaded = LoadTrainer(v1::XgboostFitTrainer, *json, {});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*trainer)->Predict(data.x), (*loaded)->Predict(data.x));
  // The estimator's evaluator reads the same file.
  auto regressor = core::MakeXgboostRegressor(*json);
  ASSERT_TRUE(regressor.ok()) << regressor.status();
  EXPECT_EQ((*regressor)->num_features(), 4u);
}

TEST(XgboostTrainerTest, ContinuesBoostingFromACheckpoint) {
  const auto data = MakeRegressionData(Shape::kSmooth, 500, 3, /*seed=*/4, /*noise=*/1.0);
  XgboostFitTrainer first;
  ASSERT_TRUE(first.Fit(data.x, data.y).ok());
  auto resumed = XgboostFitTrainer::FromJson(*first.SaveJson());
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ((*resumed)->rounds(), 100);
  ASSERT_TRUE((*resumed)->Fit(data.x, data.y).ok());
  EXPECT_EQ((*resumed)->rounds(), 200);
  // 100 + 100 rounds are the 200 rounds of one fit: exact trees are deterministic.
  XgboostOptions longer;
  longer.n_estimators = 200;
  XgboostFitTrainer direct(longer);
  ASSERT_TRUE(direct.Fit(data.x, data.y).ok());
  const Eigen::VectorXd a = (*resumed)->Predict(data.x), b = direct.Predict(data.x);
  EXPECT_LT((a - b).cwiseAbs().maxCoeff(), 1e-4);
  // Refitting the resumed trainer starts from the checkpoint again, not from its last fit.
  ASSERT_TRUE((*resumed)->Fit(data.x, data.y).ok());
  EXPECT_EQ((*resumed)->rounds(), 200);
}

TEST(XgboostTrainerTest, CheckpointOfAnotherWidthIsRejected) {
  const auto narrow = MakeRegressionData(Shape::kSmooth, 100, 3, /*seed=*/5);
  const auto wide = MakeRegressionData(Shape::kSmooth, 100, 5, /*seed=*/6);
  XgboostFitTrainer first;
  ASSERT_TRUE(first.Fit(narrow.x, narrow.y).ok());
  auto resumed = XgboostFitTrainer::FromJson(*first.SaveJson());
  ASSERT_TRUE(resumed.ok());
  EXPECT_EQ((*resumed)->Fit(wide.x, wide.y).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(XgboostFitTrainer::FromJson("{\"not\": \"xgboost\"}").ok());
}

TEST(XgboostTrainerTest, WeightComponentCarriesTheModelAndScales) {
  const auto data = MakeRegressionData(Shape::kPower, 100, 3, /*seed=*/7);
  XgboostFitTrainer trainer;
  EXPECT_FALSE(trainer.WeightComponent("package", {"a", "b", "c"}, {1, 2, 3}).ok());
  ASSERT_TRUE(trainer.Fit(data.x, data.y).ok());
  auto weights = trainer.WeightComponent("package", {"a", "b", "c"}, {1, 2, 3});
  ASSERT_TRUE(weights.ok()) << weights.status();
  EXPECT_EQ(weights->component(), "package");
  ASSERT_EQ(weights->numerical_variables_size(), 3);
  EXPECT_EQ(weights->numerical_variables(2).scale(), 3.0);
  std::string decoded;
  ASSERT_TRUE(absl::Base64Unescape(weights->xgboost_weights(), &decoded));
  EXPECT_EQ(decoded, *trainer.SaveJson());
}

TEST(XgboostTrainerTest, DegenerateInputs) {
  XgboostFitTrainer trainer;
  const auto data = MakeRegressionData(Shape::kSmooth, 30, 3, /*seed=*/8);
  ASSERT_TRUE(trainer.Fit(data.x, Eigen::VectorXd::Constant(30, 60.0)).ok());
  // From base_score 0.5, 100 rounds of eta 0.1 reach 60 - 59.5 * 0.9^100.
  EXPECT_THAT(trainer.Predict(data.x)(0), DoubleNear(60.0, 0.01));

  ASSERT_TRUE(trainer.Fit(Eigen::MatrixXd::Constant(30, 3, 0.5), data.y).ok());
  EXPECT_THAT(trainer.Predict(data.x)(0), DoubleNear(data.y.mean(), 0.01));

  ASSERT_TRUE(trainer.Fit(Eigen::MatrixXd::Constant(1, 3, 0.5), Eigen::VectorXd::Constant(1, 9))
                  .ok());
  EXPECT_TRUE(std::isfinite(trainer.Predict(data.x)(0)));

  Eigen::MatrixXd x = data.x;
  x(2, 1) = NAN;
  EXPECT_EQ(trainer.Fit(x, data.y).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(trainer.SaveJson().status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(std::isnan(trainer.Predict(data.x)(0)));
}

}  // namespace
}  // namespace kepler::model::trainer
