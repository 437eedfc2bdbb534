// Exact greedy regression trees with scikit-learn's Friedman-MSE criterion, for gradient boosting.
//
// What: TreeBuilder fits one depth-limited regression tree to a target vector over a fixed
// feature matrix, the way scikit-learn's DecisionTreeRegressor(criterion="friedman_mse",
// splitter="best") does: depth-first, nodes numbered in preorder; at each node every split
// position between distinct consecutive values (more than 1e-7 apart) of every feature is tried,
// and the one maximising Friedman's improvement (n_r*sum_l - n_l*sum_r)^2 / (n_l*n_r) wins (the
// first one found on ties, features in column order); the threshold is the midpoint of the two
// values. A node becomes a leaf at max_depth, below min_samples_split rows, when its target
// variance is <= machine epsilon, or when no split leaves min_samples_leaf rows on each side.
// Why: gradient boosting fits 100 such trees to successive residuals of the same rows; sorting
// every feature once (here, in the constructor) instead of at every node makes a tree cost
// O(depth * rows * features).
// How: construct once per training matrix, then Build() per boosting stage. Build also returns
// each training row's leaf value, so the caller updates its predictions without re-walking.
//
// Thread-safety: Build mutates scratch space; use one builder per thread.
#ifndef KEPLER_TRAINER_INTERNAL_TREE_BUILDER_H_
#define KEPLER_TRAINER_INTERNAL_TREE_BUILDER_H_

#include <cstdint>
#include <vector>

#include "Eigen/Core"
#include "core/gradient_boosting_model.h"

namespace kepler::model::trainer::internal {

// Tree-shape limits, scikit-learn's parameter names and defaults for gradient boosting.
struct TreeOptions {
  int max_depth = 3;          // root is depth 0
  int min_samples_split = 2;  // fewer rows: leaf
  int min_samples_leaf = 1;   // rows each child keeps at least
};

class TreeBuilder {
 public:
  // Presorts every column of `x` (rows x features, finite; at least one row). Keeps no reference
  // to `x`.
  TreeBuilder(const Eigen::MatrixXd& x, TreeOptions options);

  // Fits a tree to `target` (one finite value per row) and writes each row's leaf value to
  // `row_value` (resized to the row count).
  core::RegressionTree Build(const Eigen::VectorXd& target, Eigen::VectorXd* row_value);

 private:
  struct Split;
  struct Node;

  // Grows the subtree of rows [start, end) (in every feature's order) at `depth`; returns its id.
  int32_t Grow(int start, int end, int depth);
  // Best split of [start, end) over all features; feature -1 when there is none.
  Split FindSplit(int start, int end, double sum) const;
  // Best split of [start, end) on `feature`, improving on `best` (strictly).
  void ScanFeature(int feature, int start, int end, double sum, Split* best) const;
  // Reorders every feature's [start, end) so the left child's rows come first, stably.
  void Partition(const Split& split, int start, int end);
  int32_t AddNode(double value);

  const int rows_;
  const int features_;
  const TreeOptions options_;
  std::vector<double> x_;                   // column-major copy of x
  std::vector<std::vector<int32_t>> sorted_;  // per feature: all rows sorted by value
  std::vector<std::vector<int32_t>> order_;   // sorted_, partitioned node by node during Build
  std::vector<int32_t> scratch_;
  std::vector<uint8_t> goes_left_;
  const double* target_ = nullptr;
  double* row_value_ = nullptr;
  core::RegressionTree tree_;
};

}  // namespace kepler::model::trainer::internal

#endif  // KEPLER_TRAINER_INTERNAL_TREE_BUILDER_H_
