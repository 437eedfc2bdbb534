#include "trainer/knn_trainer.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "trainer/testing/regression_data.h"
#include "trainer/trainer.h"

namespace kepler::model::trainer {
namespace {

using ::testing::DoubleEq;
using ::testing::HasSubstr;
using testing::MakeRegressionData;
using testing::MeanAbsoluteError;
using testing::Shape;

// The mean target of the k rows of `x` nearest to `query`, by brute force.
double BruteForce(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::RowVectorXd& q,
                  int k) {
  std::vector<std::pair<double, int>> d;
  for (int r = 0; r < x.rows(); ++r) d.push_back({(x.row(r) - q).squaredNorm(), r});
  std::sort(d.begin(), d.end());
  double sum = 0;
  for (int i = 0; i < k; ++i) sum += y(d[i].second);
  return sum / k;
}

TEST(KNeighborsTrainerTest, PredictsTheMeanOfTheSixNearestRows) {
  const auto train = MakeRegressionData(Shape::kSmooth, 400, 5, /*seed=*/1, /*noise=*/3.0);
  const auto query = MakeRegressionData(Shape::kSmooth, 50, 5, /*seed=*/2);
  KNeighborsRegressorTrainer trainer;
  ASSERT_TRUE(trainer.Fit(train.x, train.y).ok());
  const Eigen::VectorXd y = trainer.Predict(query.x);
  for (int r = 0; r < query.x.rows(); ++r) {
    EXPECT_THAT(y(r), DoubleEq(BruteForce(train.x, train.y, query.x.row(r), 6))) << "row " << r;
  }
}

TEST(KNeighborsTrainerTest, TrainingRowsPredictNearTheirOwnNeighbourhood) {
  Eigen::MatrixXd x(12, 1);
  Eigen::VectorXd y(12);
  for (int i = 0; i < 12; ++i) {
    x(i, 0) = i < 6 ? 0.1 * i : 10 + 0.1 * i;  // two well separated clusters of six
    y(i) = i < 6 ? 5 : 50;
  }
  KNeighborsRegressorTrainer trainer;
  ASSERT_TRUE(trainer.Fit(x, y).ok());
  const Eigen::VectorXd p = trainer.Predict(x);
  for (int i = 0; i < 12; ++i) EXPECT_EQ(p(i), i < 6 ? 5.0 : 50.0);
}

TEST(KNeighborsTrainerTest, LearnsAStepFunctionAwayFromTheEdges) {
  const auto data = MakeRegressionData(Shape::kStep, 3000, 2, /*seed=*/3);
  const auto train = testing::Head(data, 2500), test = testing::Tail(data, 2500);
  KNeighborsRegressorTrainer trainer;
  ASSERT_TRUE(trainer.Fit(train.x, train.y).ok());
  const Eigen::VectorXd p = trainer.Predict(test.x);
  int far_from_edge = 0;
  for (int r = 0; r < test.x.rows(); ++r) {
    if (std::abs(test.x(r, 0) - 0.5) < 0.05 || std::abs(test.x(r, 1) - 0.3) < 0.05) continue;
    ++far_from_edge;
    EXPECT_EQ(p(r), test.y(r)) << "row " << r;
  }
  EXPECT_GT(far_from_edge, 300);
}

TEST(KNeighborsTrainerTest, ApproximatesASmoothSurface) {
  const auto data = MakeRegressionData(Shape::kSmooth, 2400, 5, /*seed=*/4, /*noise=*/1.0);
  const auto train = testing::Head(data, 2000), test = testing::Tail(data, 2000);
  KNeighborsRegressorTrainer trainer;
  ASSERT_TRUE(trainer.Fit(train.x, train.y).ok());
  const double baseline = (test.y.array() - train.y.mean()).abs().mean();
  EXPECT_LT(MeanAbsoluteError(test.y, trainer.Predict(test.x)), baseline / 3);
}

TEST(KNeighborsTrainerTest, SavedJsonLoadsToIdenticalPredictions) {
  const auto data = MakeRegressionData(Shape::kPower, 300, 4, /*seed=*/5, /*noise=*/2.0);
  auto trainer = MakeTrainer(v1::KNeighborsRegressorTrainer, {});
  ASSERT_TRUE(trainer.ok()) << trainer.status();
  ASSERT_TRUE((*trainer)->Fit(data.x, data.y).ok());
  auto json = (*trainer)->SaveJson();
  ASSERT_TRUE(json.ok()) << json.status();
  auto loaded = LoadTrainer(v1::KNeighborsRegressorTrainer, *json, {});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->name(), v1::KNeighborsRegressorTrainer);
  const auto query = MakeRegressionData(Shape::kPower, 100, 4, /*seed=*/6);
  EXPECT_EQ((*trainer)->Predict(query.x), (*loaded)->Predict(query.x));
}

TEST(KNeighborsTrainerTest, FewerThanSixRowsIsAFailedPrecondition) {
  KNeighborsRegressorTrainer trainer;
  const absl::Status status = trainer.Fit(Eigen::MatrixXd::Zero(5, 2), Eigen::VectorXd::Zero(5));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("at least n_neighbors = 6 training rows, got 5"));
  EXPECT_EQ(trainer.SaveJson().status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(trainer.Fit(Eigen::MatrixXd::Zero(1, 2), Eigen::VectorXd::Zero(1)).ok());
  EXPECT_TRUE(trainer.Fit(Eigen::MatrixXd::Zero(6, 2), Eigen::VectorXd::Zero(6)).ok());
}

TEST(KNeighborsTrainerTest, DegenerateInputs) {
  KNeighborsRegressorTrainer trainer;
  const auto data = MakeRegressionData(Shape::kSmooth, 40, 3, /*seed=*/7);
  ASSERT_TRUE(trainer.Fit(data.x, Eigen::VectorXd::Constant(40, 9.5)).ok());
  EXPECT_EQ(trainer.Predict(data.x), Eigen::VectorXd::Constant(40, 9.5));

  // All rows identical: any six of them, so the prediction lies within the targets' range.
  ASSERT_TRUE(trainer.Fit(Eigen::MatrixXd::Constant(40, 3, 0.5), data.y).ok());
  const double p = trainer.Predict(data.x.topRows(1))(0);
  EXPECT_GE(p, data.y.minCoeff());
  EXPECT_LE(p, data.y.maxCoeff());

  Eigen::MatrixXd x = data.x;
  x(3, 2) = NAN;
  EXPECT_EQ(trainer.Fit(x, data.y).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(std::isnan(trainer.Predict(data.x)(0)));  // the failed fit replaced the model
  EXPECT_FALSE(LoadTrainer(v1::KNeighborsRegressorTrainer, R"({"model":"SVR"})", {}).ok());
}

}  // namespace
}  // namespace kepler::model::trainer
