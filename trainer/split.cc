#include "trainer/split.h"

#include <cmath>
#include <numeric>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"

namespace kepler::model::trainer {
namespace {

// Uniform integer in [0, bound) from `rng`, by rejection, so the result does not depend on the
// standard library's distribution implementation.
uint64_t Uniform(std::mt19937_64& rng, uint64_t bound) {
  const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  uint64_t draw;
  do {
    draw = rng();
  } while (draw >= limit);
  return draw % bound;
}

}  // namespace

absl::StatusOr<RowSplit> SplitRows(int rows, const SplitOptions& options) {
  if (!(options.test_fraction > 0 && options.test_fraction < 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("test fraction ", options.test_fraction, " is not in (0, 1)"));
  }
  const int test = static_cast<int>(std::ceil(options.test_fraction * rows));
  if (rows < 2 || test >= rows) {
    return absl::InvalidArgumentError(
        absl::StrCat(rows, " rows cannot be split into train and test parts"));
  }
  std::vector<int> order(rows);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(options.seed);
  for (int i = rows - 1; i > 0; --i) {
    std::swap(order[i], order[Uniform(rng, static_cast<uint64_t>(i) + 1)]);
  }
  RowSplit split;
  split.test.assign(order.begin(), order.begin() + test);
  split.train.assign(order.begin() + test, order.end());
  return split;
}

Eigen::MatrixXd TakeRows(const Eigen::MatrixXd& x, const std::vector<int>& index) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(index.size()), x.cols());
  for (size_t i = 0; i < index.size(); ++i) out.row(i) = x.row(index[i]);
  return out;
}

Eigen::VectorXd TakeRows(const Eigen::VectorXd& y, const std::vector<int>& index) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(index.size()));
  for (size_t i = 0; i < index.size(); ++i) out[i] = y[index[i]];
  return out;
}

}  // namespace kepler::model::trainer
