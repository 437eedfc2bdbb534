#include "trainer/internal/tree_builder.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

namespace kepler::model::trainer::internal {
namespace {

// scikit-learn's FEATURE_THRESHOLD: values closer than this are not split apart.
constexpr double kFeatureThreshold = 1e-7;
// scikit-learn's EPSILON: a node whose target variance is at most this is a leaf.
constexpr double kEpsilon = std::numeric_limits<double>::epsilon();

}  // namespace

struct TreeBuilder::Split {
  int feature = -1;
  int pos = 0;  // the left child holds [start, pos) of the split feature's order
  double threshold = 0;
  double proxy = -std::numeric_limits<double>::infinity();
};

TreeBuilder::TreeBuilder(const Eigen::MatrixXd& x, TreeOptions options)
    : rows_(static_cast<int>(x.rows())),
      features_(static_cast<int>(x.cols())),
      options_(options),
      x_(x.data(), x.data() + x.size()),
      sorted_(features_),
      scratch_(rows_),
      goes_left_(rows_) {
  for (int f = 0; f < features_; ++f) {
    std::vector<int32_t>& order = sorted_[f];
    order.resize(rows_);
    std::iota(order.begin(), order.end(), 0);
    const double* col = &x_[static_cast<size_t>(f) * rows_];
    std::stable_sort(order.begin(), order.end(),
                     [col](int32_t a, int32_t b) { return col[a] < col[b]; });
  }
}

core::RegressionTree TreeBuilder::Build(const Eigen::VectorXd& target,
                                        Eigen::VectorXd* row_value) {
  row_value->resize(rows_);
  target_ = target.data();
  row_value_ = row_value->data();
  tree_ = core::RegressionTree();
  order_ = sorted_;  // each Build partitions order_ in place
  Grow(0, rows_, 0);
  return std::move(tree_);
}

int32_t TreeBuilder::Grow(int start, int end, int depth) {
  const int n = end - start;
  const int32_t* rows = order_[0].data();
  double sum = 0, sum_sq = 0;
  for (int i = start; i < end; ++i) {
    const double t = target_[rows[i]];
    sum += t;
    sum_sq += t * t;
  }
  const double mean = sum / n;
  const double impurity = sum_sq / n - mean * mean;
  const int32_t id = AddNode(mean);
  bool leaf = depth >= options_.max_depth || n < options_.min_samples_split ||
              n < 2 * options_.min_samples_leaf || impurity <= kEpsilon;
  Split split;
  if (!leaf) {
    split = FindSplit(start, end, sum);
    leaf = split.feature < 0;
  }
  if (leaf) {
    for (int i = start; i < end; ++i) row_value_[rows[i]] = mean;
    return id;
  }
  tree_.feature[id] = split.feature;
  tree_.threshold[id] = split.threshold;
  Partition(split, start, end);
  const int32_t left = Grow(start, split.pos, depth + 1);
  tree_.children_left[id] = left;
  const int32_t right = Grow(split.pos, end, depth + 1);
  tree_.children_right[id] = right;
  return id;
}

TreeBuilder::Split TreeBuilder::FindSplit(int start, int end, double sum) const {
  Split best;
  for (int f = 0; f < features_; ++f) ScanFeature(f, start, end, sum, &best);
  return best;
}

void TreeBuilder::ScanFeature(int feature, int start, int end, double sum, Split* best) const {
  const int32_t* order = order_[feature].data();
  const double* col = &x_[static_cast<size_t>(feature) * rows_];
  if (col[order[end - 1]] <= col[order[start]] + kFeatureThreshold) return;  // constant here
  const int min_leaf = options_.min_samples_leaf;
  double sum_left = 0;
  for (int p = start + 1; p < end; ++p) {
    sum_left += target_[order[p - 1]];
    const double prev = col[order[p - 1]], cur = col[order[p]];
    if (cur <= prev + kFeatureThreshold) continue;
    const int n_left = p - start, n_right = end - p;
    if (n_left < min_leaf || n_right < min_leaf) continue;
    const double diff = n_right * sum_left - n_left * (sum - sum_left);
    const double proxy = diff * diff / (static_cast<double>(n_left) * n_right);
    if (proxy > best->proxy) {
      best->proxy = proxy;
      best->feature = feature;
      best->pos = p;
      best->threshold = prev / 2.0 + cur / 2.0;
      if (best->threshold == cur || !std::isfinite(best->threshold)) best->threshold = prev;
    }
  }
}

void TreeBuilder::Partition(const Split& split, int start, int end) {
  const std::vector<int32_t>& by_split = order_[split.feature];
  for (int i = start; i < end; ++i) goes_left_[by_split[i]] = i < split.pos;
  for (int f = 0; f < features_; ++f) {
    if (f == split.feature) continue;
    int32_t* order = order_[f].data();
    int left = start, right = 0;
    for (int i = start; i < end; ++i) {
      if (goes_left_[order[i]]) {
        order[left++] = order[i];
      } else {
        scratch_[right++] = order[i];
      }
    }
    std::copy(scratch_.begin(), scratch_.begin() + right, order + left);
  }
}

int32_t TreeBuilder::AddNode(double value) {
  tree_.children_left.push_back(-1);
  tree_.children_right.push_back(-1);
  tree_.feature.push_back(core::RegressionTree::kLeafFeature);
  tree_.threshold.push_back(-2.0);
  tree_.value.push_back(value);
  return static_cast<int32_t>(tree_.value.size()) - 1;
}

}  // namespace kepler::model::trainer::internal
