#include "trainer/gradient_boosting_trainer.h"

#include <cmath>
#include <memory>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "trainer/testing/regression_data.h"
#include "trainer/testing/sklearn_golden.h"
#include "trainer/trainer.h"

namespace kepler::model::trainer {
namespace {

using ::testing::DoubleEq;
using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeRegressionData;
using testing::MeanAbsoluteError;
using testing::Shape;

TEST(GradientBoostingTrainerTest, OneStumpSplitsAtTheMidpointAndStartsAtTheMean) {
  GradientBoostingRegressorTrainer::Options options;
  options.n_estimators = 1;
  options.tree.max_depth = 1;
  GradientBoostingRegressorTrainer trainer(options);
  Eigen::MatrixXd x(4, 1);
  x << 1, 2, 3, 4;
  Eigen::VectorXd y(4);
  y << 1, 1, 5, 5;
  ASSERT_TRUE(trainer.Fit(x, y).ok());
  const core::GradientBoostingParams& p = *trainer.params();
  EXPECT_EQ(p.init, 3.0);
  ASSERT_EQ(p.trees.size(), 1u);
  const core::RegressionTree& t = p.trees[0];
  EXPECT_THAT(t.children_left, ElementsAre(1, -1, -1));
  EXPECT_THAT(t.children_right, ElementsAre(2, -1, -1));
  EXPECT_THAT(t.feature, ElementsAre(0, -2, -2));
  EXPECT_EQ(t.threshold[0], 2.5);
  EXPECT_THAT(t.value, ElementsAre(0.0, -2.0, 2.0));  // mean residuals
  EXPECT_THAT(trainer.Predict(x), ElementsAre(DoubleEq(2.8), DoubleEq(2.8), DoubleEq(3.2), DoubleEq(3.2)));
}

TEST(GradientBoostingTrainerTest, PicksTheFeatureThatSeparatesTheTarget) {
  GradientBoostingRegressorTrainer::Options options;
  options.n_estimators = 1;
  options.tree.max_depth = 1;
  GradientBoostingRegressorTrainer trainer(options);
  Eigen::MatrixXd x(6, 2);
  x << 0.9, 0.1,  //
      0.1, 0.2,   //
      0.8, 0.3,   //
      0.2, 0.7,   //
      0.7, 0.8,   //
      0.3, 0.9;
  Eigen::VectorXd y(6);
  y << 0, 0, 0, 10, 10, 10;  // follows column 1, not column 0
  ASSERT_TRUE(trainer.Fit(x, y).ok());
  EXPECT_EQ(trainer.params()->trees[0].feature[0], 1);
  EXPECT_DOUBLE_EQ(trainer.params()->trees[0].threshold[0], 0.5);
}

TEST(GradientBoostingTrainerTest, ValuesCloserThanTheFeatureThresholdAreNotSplit) {
  GradientBoostingRegressorTrainer::Options options;
  options.n_estimators = 1;
  GradientBoostingRegressorTrainer trainer(options);
  Eigen::MatrixXd x(2, 1);
  x << 0.5, 0.5 + 1e-8;
  Eigen::VectorXd y(2);
  y << 0, 10;
  ASSERT_TRUE(trainer.Fit(x, y).ok());
  EXPECT_EQ(trainer.params()->trees[0].value.size(), 1u);  // a single leaf
}

TEST(GradientBoostingTrainerTest, MatchesScikitLearnOnTheGoldenData) {
  GradientBoostingRegressorTrainer trainer;
  ASSERT_TRUE(trainer.Fit(testing::GoldenX(), testing::GoldenY()).ok());
  // Same trees up to ties, which partition the training rows identically.
  const Eigen::VectorXd p = trainer.Predict(testing::GoldenX());
  const Eigen::VectorXd golden = testing::GoldenGradientBoostingTrain();
  for (int i = 0; i < 40; ++i) EXPECT_THAT(p(i), DoubleNear(golden(i), 1e-9)) << "row " << i;
}

TEST(GradientBoostingTrainerTest, LearnsAStepFunction) {
  const auto data = MakeRegressionData(Shape::kStep, 1200, 5, /*seed=*/1);
  const auto train = testing::Head(data, 1000), test = testing::Tail(data, 1000);
  GradientBoostingRegressorTrainer trainer;
  ASSERT_TRUE(trainer.Fit(train.x, train.y).ok());
  // Steps of 60 W and 15 W; 100 stages of shrinkage 0.1 leave ~0.9^100 of the residual.
  EXPECT_LT(MeanAbsoluteError(test.y, trainer.Predict(test.x)), 0.05);
  // Trees are at most depth 3: 15 nodes.
  for (const auto& tree : trainer.params()->trees) EXPECT_LE(tree.value.size(), 15u);
}

TEST(GradientBoostingTrainerTest, ApproximatesASmoothSurface) {
  const auto data = MakeRegressionData(Shape::kSmooth, 2400, 5, /*seed=*/2, /*noise=*/1.0);
  const auto train = testing::Head(data, 2000), test = testing::Tail(data, 2000);
  GradientBoostingRegressorTrainer trainer;
  ASSERT_TRUE(trainer.Fit(train.x, train.y).ok());
  const double baseline = (test.y.array() - train.y.mean()).abs().mean();
  const double mae = MeanAbsoluteError(test.y, trainer.Predict(test.x));
  EXPECT_LT(mae, 2.5) << "baseline " << baseline;
  EXPECT_LT(mae, baseline / 8);
}

TEST(GradientBoostingTrainerTest, SavedJsonLoadsToIdenticalPredictions) {
  const auto data = MakeRegressionData(Shape::kPower, 500, 4, /*seed=*/3, /*noise=*/2.0);
  auto trainer = MakeTrainer(v1::GradientBoostingRegressorTrainer, {});
  ASSERT_TRUE(trainer.ok()) << trainer.status();
  EXPECT_EQ((*trainer)->name(), v1::GradientBoostingRegressorTrainer);
  ASSERT_TRUE((*trainer)->Fit(data.x, data.y).ok());
  auto json = (*trainer)->SaveJson();
  ASSERT_TRUE(json.ok()) << json.status();
  auto loaded = LoadTrainer(v1::GradientBoostingRegressorTrainer, *json, {});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const Eigen::VectorXd a = (*trainer)->Predict(data.x), b = (*loaded)->Predict(data.x);
  EXPECT_EQ(a, b);
  EXPECT_EQ(*(*loaded)->SaveJson(), *json);
}

TEST(GradientBoostingTrainerTest, FittingIsDeterministic) {
  const auto data = MakeRegressionData(Shape::kSmooth, 300, 5, /*seed=*/4, /*noise=*/1.0);
  GradientBoostingRegressorTrainer a, b;
  ASSERT_TRUE(a.Fit(data.x, data.y).ok());
  ASSERT_TRUE(b.Fit(data.x, data.y).ok());
  EXPECT_EQ(*a.SaveJson(), *b.SaveJson());
}

TEST(GradientBoostingTrainerTest, DegenerateInputsFitWithoutSplitting) {
  GradientBoostingRegressorTrainer trainer;
  const Eigen::MatrixXd x = MakeRegressionData(Shape::kStep, 50, 3, 5).x;
  ASSERT_TRUE(trainer.Fit(x, Eigen::VectorXd::Constant(50, 42.0)).ok());
  EXPECT_THAT(trainer.Predict(x).maxCoeff(), DoubleNear(42.0, 1e-9));
  EXPECT_THAT(trainer.Predict(x).minCoeff(), DoubleNear(42.0, 1e-9));

  const Eigen::VectorXd y = Eigen::VectorXd::LinSpaced(50, 0, 49);
  ASSERT_TRUE(trainer.Fit(Eigen::MatrixXd::Constant(50, 3, 0.5), y).ok());
  EXPECT_THAT(trainer.Predict(x)(0), DoubleNear(24.5, 1e-9));  // the mean
  EXPECT_EQ(trainer.params()->trees[0].value.size(), 1u);

  ASSERT_TRUE(trainer.Fit(Eigen::MatrixXd::Constant(1, 3, 0.5), Eigen::VectorXd::Constant(1, 7))
                  .ok());
  EXPECT_EQ(trainer.Predict(Eigen::MatrixXd::Constant(1, 3, 0.9))(0), 7.0);
}

TEST(GradientBoostingTrainerTest, RejectsInvalidInputAndReportsNotFitted) {
  GradientBoostingRegressorTrainer trainer;
  EXPECT_EQ(trainer.SaveJson().status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(std::isnan(trainer.Predict(Eigen::MatrixXd::Zero(1, 2))(0)));

  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(3, 2);
  x(1, 1) = NAN;
  EXPECT_EQ(trainer.Fit(x, Eigen::VectorXd::Zero(3)).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(trainer.Fit(Eigen::MatrixXd::Zero(3, 2), Eigen::VectorXd::Zero(2)).message(),
              HasSubstr("3 rows but 2 targets"));
  EXPECT_FALSE(trainer.Fit(Eigen::MatrixXd::Zero(0, 2), Eigen::VectorXd::Zero(0)).ok());
  Eigen::VectorXd y = Eigen::VectorXd::Zero(3);
  y(0) = INFINITY;
  EXPECT_FALSE(trainer.Fit(Eigen::MatrixXd::Zero(3, 2), y).ok());
  EXPECT_FALSE(LoadTrainer(v1::GradientBoostingRegressorTrainer, "{}", {}).ok());
}

}  // namespace
}  // namespace kepler::model::trainer
