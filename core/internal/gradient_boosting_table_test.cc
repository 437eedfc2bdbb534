#include "core/internal/gradient_boosting_table.h"

#include <cstdlib>
#include <functional>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace kepler::model::core::internal {
namespace {

// A random tree of depth <= max_depth on `features` features, thresholds from a grid of
// `grid_size` steps (a coarse grid makes inputs often equal a threshold, where <= decides).
RegressionTree RandomTree(std::mt19937& rng, int features, int max_depth = 3, int grid_size = 20) {
  std::uniform_int_distribution<int> feature(0, features - 1), grid(0, grid_size), leaf(0, 3);
  std::normal_distribution<double> value(0, 50);
  RegressionTree t;
  // Nodes in depth-first order, as scikit-learn stores them.
  std::function<int(int)> add = [&](int depth) -> int {
    const int id = static_cast<int>(t.children_left.size());
    t.children_left.push_back(-1);
    t.children_right.push_back(-1);
    t.feature.push_back(RegressionTree::kLeafFeature);
    t.threshold.push_back(-2);
    t.value.push_back(value(rng));
    if (depth < max_depth && leaf(rng) != 0) {
      t.feature[id] = feature(rng);
      t.threshold[id] = grid(rng) * (1.0 / grid_size);
      const int left = add(depth + 1);
      const int right = add(depth + 1);
      t.children_left[id] = left;
      t.children_right[id] = right;
    }
    return id;
  };
  add(0);
  return t;
}

double Walk(const GradientBoostingParams& p, const double* row) {
  double sum = p.init;
  for (const RegressionTree& t : p.trees) {
    int node = 0;
    while (t.children_left[node] != -1) {
      double v = row[t.feature[node]];
      if (p.float32_inputs) v = static_cast<float>(v);
      node = v <= t.threshold[node] ? t.children_left[node] : t.children_right[node];
    }
    sum += p.learning_rate * t.value[node];
  }
  return sum;
}

TEST(GradientBoostingTableTest, BitIdenticalToWalkingTheTrees) {
  std::mt19937 rng(11);
  for (int features : {1, 2, 3}) {
    GradientBoostingParams params;
    params.n_features = features;
    params.init = 123.456;
    params.learning_rate = 0.1;
    for (int i = 0; i < 100; ++i) params.trees.push_back(RandomTree(rng, features));
    auto table = GradientBoostingTable::Build(params, 1 << 16);
    ASSERT_TRUE(table.has_value()) << features;
    std::uniform_int_distribution<int> grid(-2, 22);
    std::uniform_real_distribution<double> jitter(-0.03, 0.03);
    for (int q = 0; q < 5000; ++q) {
      double row[3];
      for (int f = 0; f < features; ++f) row[f] = grid(rng) * 0.05 + (q % 2 ? jitter(rng) : 0);
      ASSERT_EQ(table->Predict(row), Walk(params, row)) << features << " " << q;
    }
  }
}

TEST(GradientBoostingTableTest, RefusesGridsOverTheCellLimit) {
  std::mt19937 rng(5);
  GradientBoostingParams params;
  params.n_features = 3;
  for (int i = 0; i < 100; ++i) params.trees.push_back(RandomTree(rng, 3));
  EXPECT_FALSE(GradientBoostingTable::Build(params, 100).has_value());
  // A forest of leaves only is one cell.
  GradientBoostingParams constant;
  constant.n_features = 1;
  constant.trees.push_back(RegressionTree{{-1}, {-1}, {RegressionTree::kLeafFeature}, {-2}, {4}});
  auto table = GradientBoostingTable::Build(constant, 1);
  ASSERT_TRUE(table.has_value());
  const double x = 7;
  EXPECT_EQ(table->Predict(&x), 0.1 * 4);
}

// Forests too large for a table are walked (as complete heaps up to depth 10, node by node
// deeper), eight rows at a time: the same sums as the naive walk, bit for bit.
TEST(GradientBoostingTableTest, WalkedForestsAgreeWithTheNaiveWalk) {
  std::mt19937 rng(13);
  for (int max_depth : {3, 6, 12, -3, -6}) {  // negative: float32 inputs, as scikit-learn's
    GradientBoostingParams params;
    params.float32_inputs = max_depth < 0;
    max_depth = std::abs(max_depth);
    params.n_features = 10;
    params.init = -7.25;
    params.learning_rate = 0.1;
    for (int i = 0; i < 60; ++i) params.trees.push_back(RandomTree(rng, 10, max_depth, 1000));
    ASSERT_FALSE(GradientBoostingTable::Build(params, 1 << 16).has_value());
    auto regressor = MakeGradientBoostingRegressor(params);
    ASSERT_TRUE(regressor.ok()) << regressor.status();
    std::uniform_int_distribution<int> grid(-5, 1005);
    std::uniform_real_distribution<double> jitter(-1e-7, 1e-7);  // around float rounding
    for (size_t rows : {1, 7, 8, 9, 300}) {
      std::vector<double> x(rows * 10);
      for (double& v : x) v = grid(rng) / 1000.0 + (params.float32_inputs ? jitter(rng) : 0);
      std::vector<double> out(rows);
      (*regressor)->Predict(x.data(), rows, out.data());
      for (size_t r = 0; r < rows; ++r) {
        ASSERT_EQ(out[r], Walk(params, &x[r * 10])) << max_depth << " " << rows << " " << r;
      }
    }
  }
}

}  // namespace
}  // namespace kepler::model::core::internal
