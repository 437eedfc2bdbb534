#include "trainer/metrics.h"

#include "gtest/gtest.h"

namespace kepler::model::trainer {
namespace {

TEST(Round2Test, RoundsLikePython) {
  EXPECT_EQ(Round2(2.675), 2.67);    // 2.675 is 2.67499999... in binary
  EXPECT_EQ(Round2(0.125), 0.12);    // exact tie: to even
  EXPECT_EQ(Round2(0.375), 0.38);    // exact tie: to even
  EXPECT_EQ(Round2(27.2349), 27.23);
  EXPECT_EQ(Round2(-1.005), -1.0);   // -1.00499999...
}

TEST(ComponentErrorTest, MaeAndMapeOverPositiveLabels) {
  Eigen::VectorXd y(4), p(4);
  y << 100, 50, 0, -10;
  p << 110, 40, 5, 0;
  const ErrorMetrics m = ComponentError(y, p);
  EXPECT_EQ(m.mae, 8.75);                  // (10 + 10 + 5 + 10) / 4
  EXPECT_EQ(m.mape, 15.0);                 // (10% + 20%) / 2, rows with y > 0 only
}

TEST(ComponentErrorTest, NoPositiveLabelGivesMinusOne) {
  Eigen::VectorXd y = Eigen::VectorXd::Zero(3), p = Eigen::VectorXd::Ones(3);
  EXPECT_EQ(ComponentError(y, p).mape, -1);
  EXPECT_EQ(ComponentError(y, p).mae, 1);
  EXPECT_EQ(ComponentError(Eigen::VectorXd(), Eigen::VectorXd()).mape, -1);
}

TEST(ModelErrorTest, MaxOverComponentsForBothMaeAndMape) {
  // The reference reports the last component's mape (§11.13); the max is intended.
  const ErrorMetrics m = ModelError({{27.23, 26.7}, {0.0, -1}, {7.1, 12.37}});
  EXPECT_EQ(m.mae, 27.23);
  EXPECT_EQ(m.mape, 26.7);
  EXPECT_EQ(ModelError({{1, -1}, {2, -1}}).mape, -1);
  EXPECT_EQ(ModelError({}).mae, 0);
}

}  // namespace
}  // namespace kepler::model::trainer
