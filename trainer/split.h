// The train/test split of one node type's rows (contract §7.2 step 4).
//
// What: test_size = ceil(test_fraction * rows), train = the rest, drawn by a seeded shuffle, as
// scikit-learn's train_test_split(test_size=0.1, shuffle=True) sizes them.
// Why: the reference's split is unseeded (§11.20), so its metrics vary run to run; a seed (0 by
// default) makes training reproducible.
// How: `SplitRows(rows, {.seed = s})` -> row indices; `TakeRows(x, split.train)` gathers them.
// The shuffle is our own Fisher-Yates over std::mt19937_64, identical on every platform.
//
// Thread-safety: pure functions.
#ifndef KEPLER_TRAINER_SPLIT_H_
#define KEPLER_TRAINER_SPLIT_H_

#include <cstdint>
#include <vector>

#include "Eigen/Core"
#include "absl/status/statusor.h"

namespace kepler::model::trainer {

struct SplitOptions {
  // Share of rows held out for testing, in (0, 1). Default 0.1 (the reference).
  double test_fraction = 0.1;
  // Shuffle seed. Default 0.
  uint64_t seed = 0;
};

// Row indices of each part; together a permutation of 0..rows-1.
struct RowSplit {
  std::vector<int> train;
  std::vector<int> test;
};

// Splits `rows` rows. InvalidArgument when a part would be empty (fewer than 2 rows) or the
// fraction is outside (0, 1).
absl::StatusOr<RowSplit> SplitRows(int rows, const SplitOptions& options = {});

// The rows `index` of `x`, in that order.
Eigen::MatrixXd TakeRows(const Eigen::MatrixXd& x, const std::vector<int>& index);
Eigen::VectorXd TakeRows(const Eigen::VectorXd& y, const std::vector<int>& index);

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_SPLIT_H_
