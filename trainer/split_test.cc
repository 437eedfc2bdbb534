#include "trainer/split.h"

#include <algorithm>

#include "gtest/gtest.h"

namespace kepler::model::trainer {
namespace {

TEST(SplitRowsTest, TestPartIsCeilingOfTenPercentAndPartsPartitionTheRows) {
  auto split = SplitRows(95);
  ASSERT_TRUE(split.ok()) << split.status();
  EXPECT_EQ(split->test.size(), 10u);  // ceil(9.5), as scikit-learn
  EXPECT_EQ(split->train.size(), 85u);
  std::vector<int> all = split->train;
  all.insert(all.end(), split->test.begin(), split->test.end());
  std::sort(all.begin(), all.end());
  for (int i = 0; i < 95; ++i) EXPECT_EQ(all[i], i);
}

TEST(SplitRowsTest, SameSeedSameSplitOtherSeedOtherSplit) {
  auto a = SplitRows(1000, {0.1, 7});
  auto b = SplitRows(1000, {0.1, 7});
  auto c = SplitRows(1000, {0.1, 8});
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->test, b->test);
  EXPECT_NE(a->test, c->test);
}

TEST(SplitRowsTest, RejectsTooFewRowsAndBadFractions) {
  EXPECT_FALSE(SplitRows(1).ok());
  EXPECT_TRUE(SplitRows(2).ok());
  EXPECT_FALSE(SplitRows(10, {0.0, 0}).ok());
  EXPECT_FALSE(SplitRows(10, {1.0, 0}).ok());
}

TEST(TakeRowsTest, GathersRowsInIndexOrder) {
  Eigen::MatrixXd x(3, 2);
  x << 1, 2, 3, 4, 5, 6;
  const Eigen::MatrixXd picked = TakeRows(x, {2, 0});
  EXPECT_EQ(picked(0, 0), 5);
  EXPECT_EQ(picked(1, 1), 2);
  Eigen::VectorXd y(3);
  y << 7, 8, 9;
  EXPECT_EQ(TakeRows(y, {1})[0], 8);
}

}  // namespace
}  // namespace kepler::model::trainer
