#include "core/sklearn/knn_estimator.h"

#include <algorithm>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace kepler::model::core::sklearn {
namespace {

double Predict(const Regressor& r, std::vector<double> x) {
  double out = 0;
  r.Predict(x.data(), 1, &out);
  return out;
}

// The documented tie rule: among training points equally far at the k-th place, the lowest
// training index wins, whatever the KD-tree's search order.
TEST(KnnEstimatorTest, TiesAtTheKthNeighbourGoToTheLowestIndex) {
  // Query 0 with k=1: points at -1 and +1 are equally far; the first one listed wins.
  for (bool reversed : {false, true}) {
    KNeighborsState state{1, false, 1, {}, {}};
    state.fit_x = reversed ? std::vector<double>{1, -1, 5} : std::vector<double>{-1, 1, 5};
    state.y = reversed ? std::vector<double>{20, 10, 99} : std::vector<double>{10, 20, 99};
    auto knn = MakeExactKNeighborsRegressor(state);
    ASSERT_TRUE(knn.ok()) << knn.status();
    EXPECT_EQ(Predict(**knn, {0}), reversed ? 20 : 10);
  }
  // Many duplicates spread over the tree's leaves: k=3 of 100 equal points picks indices 0-2.
  KNeighborsState dup{3, false, 2, {}, {}};
  for (int i = 0; i < 100; ++i) {
    dup.fit_x.insert(dup.fit_x.end(), {0.5, 0.5});
    dup.y.push_back(i);
  }
  auto knn = MakeExactKNeighborsRegressor(dup);
  ASSERT_TRUE(knn.ok());
  EXPECT_EQ(Predict(**knn, {0.5, 0.5}), (0 + 1 + 2) / 3.0);
  EXPECT_EQ(Predict(**knn, {0.9, 0.1}), (0 + 1 + 2) / 3.0);
}

// Against a brute-force reference with the same rule, on random data with many exact ties: the
// KD-tree (up to 4 features) and the scan (more) alike.
TEST(KnnEstimatorTest, MatchesBruteForceWithTheSameRule) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> grid(0, 6);  // coarse grid: many equal distances
  for (int width : {1, 3, 4, 6}) {
    KNeighborsState state{6, false, width, {}, {}};
    for (int i = 0; i < 500; ++i) {
      for (int d = 0; d < width; ++d) state.fit_x.push_back(grid(rng) * 0.25);
      state.y.push_back(i * 1.5);
    }
    auto knn = MakeExactKNeighborsRegressor(state);
    ASSERT_TRUE(knn.ok());
    for (int q = 0; q < 300; ++q) {
      std::vector<double> x(width);
      for (double& v : x) v = grid(rng) * 0.25;
      std::vector<std::pair<double, size_t>> all;
      for (size_t i = 0; i < state.y.size(); ++i) {
        double d2 = 0;
        for (int d = 0; d < width; ++d) {
          d2 += (x[d] - state.fit_x[i * width + d]) * (x[d] - state.fit_x[i * width + d]);
        }
        all.emplace_back(d2, i);
      }
      std::sort(all.begin(), all.end());
      double sum = 0;
      for (int k = 0; k < 6; ++k) sum += state.y[all[k].second];
      EXPECT_EQ(Predict(**knn, x), sum / 6) << width << " " << q;
    }
  }
}

TEST(KnnEstimatorTest, DistanceWeightsGiveExactMatchesAllTheWeight) {
  KNeighborsState state{2, true, 1, {0, 3, 4}, {100, 30, 40}};
  auto knn = MakeExactKNeighborsRegressor(state);
  ASSERT_TRUE(knn.ok());
  EXPECT_EQ(Predict(**knn, {0}), 100);                                   // distance 0
  EXPECT_DOUBLE_EQ(Predict(**knn, {3.5}), (30 / 0.5 + 40 / 0.5) / (2 / 0.5));
}

TEST(KnnEstimatorTest, RefusesMoreNeighboursThanPoints) {
  KNeighborsState state{4, false, 1, {0, 1, 2}, {1, 2, 3}};
  EXPECT_EQ(MakeExactKNeighborsRegressor(state).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kepler::model::core::sklearn
