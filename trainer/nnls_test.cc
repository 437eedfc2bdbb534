#include "trainer/nnls.h"

#include <random>

#include "Eigen/QR"
#include "gtest/gtest.h"

namespace kepler::model::trainer {
namespace {

Eigen::MatrixXd RandomMatrix(int rows, int cols, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Eigen::MatrixXd a(rows, cols);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) a(r, c) = normal(rng);
  }
  return a;
}

TEST(NnlsTest, PositiveLeastSquaresSolutionIsReturnedUnchanged) {
  const Eigen::MatrixXd a = RandomMatrix(50, 3, 1);
  const Eigen::VectorXd truth = Eigen::Vector3d(1.0, 2.0, 0.5);
  const Eigen::VectorXd b = a * truth;
  auto x = SolveNnls(a, b);
  ASSERT_TRUE(x.ok()) << x.status();
  EXPECT_TRUE(x->isApprox(truth, 1e-12)) << x->transpose();
}

TEST(NnlsTest, NegativeCoefficientIsClampedAndTheRestRefitted) {
  const Eigen::MatrixXd a = RandomMatrix(80, 3, 2);
  const Eigen::VectorXd b = a * Eigen::Vector3d(1.5, -2.0, 0.7);
  auto x = SolveNnls(a, b);
  ASSERT_TRUE(x.ok()) << x.status();
  EXPECT_EQ((*x)[1], 0.0);
  // The free coordinates are the least-squares fit on their columns alone.
  Eigen::MatrixXd sub(80, 2);
  sub << a.col(0), a.col(2);
  const Eigen::VectorXd ls = sub.colPivHouseholderQr().solve(b);
  EXPECT_NEAR((*x)[0], ls[0], 1e-10);
  EXPECT_NEAR((*x)[2], ls[1], 1e-10);
}

TEST(NnlsTest, SatisfiesKktConditionsOnRandomProblems) {
  for (uint64_t seed = 10; seed < 30; ++seed) {
    const Eigen::MatrixXd a = RandomMatrix(40, 6, seed);
    const Eigen::VectorXd b = RandomMatrix(40, 1, seed + 100).col(0);
    auto x = SolveNnls(a, b);
    ASSERT_TRUE(x.ok()) << x.status();
    const Eigen::VectorXd w = a.transpose() * (b - a * *x);
    for (int j = 0; j < 6; ++j) {
      EXPECT_GE((*x)[j], 0.0);
      if ((*x)[j] > 0) {
        EXPECT_NEAR(w[j], 0.0, 1e-9) << "seed " << seed;
      } else {
        EXPECT_LE(w[j], 1e-9) << "seed " << seed;
      }
    }
  }
}

TEST(NnlsTest, AllNegativeTargetGivesZero) {
  const Eigen::MatrixXd a = Eigen::MatrixXd::Ones(5, 2);
  const Eigen::VectorXd b = -Eigen::VectorXd::Ones(5);
  auto x = SolveNnls(a, b);
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(x->norm(), 0.0);
}

TEST(NnlsTest, RejectsMismatchedAndNonFiniteInput) {
  EXPECT_EQ(SolveNnls(Eigen::MatrixXd::Ones(3, 2), Eigen::VectorXd::Ones(4)).status().code(),
            absl::StatusCode::kInvalidArgument);
  Eigen::MatrixXd a = Eigen::MatrixXd::Ones(3, 2);
  a(1, 1) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(SolveNnls(a, Eigen::VectorXd::Ones(3)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kepler::model::trainer
