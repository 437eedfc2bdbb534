#include "core/sklearn/knn_estimator.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "nanoflann.hpp"

namespace kepler::model::core::sklearn {
namespace {

struct FitSet {
  const KNeighborsState* state;
  size_t kdtree_get_point_count() const { return state->y.size(); }
  double kdtree_get_pt(size_t i, size_t dim) const {
    return state->fit_x[i * state->n_features + dim];
  }
  template <class BBox>
  bool kdtree_get_bbox(BBox&) const { return false; }
};

// L2_Simple sums (a_i - b_i)^2 in feature order: the same rounding as scikit-learn's KD-tree.
// A fixed dimension keeps nanoflann's per-query distance vector off the heap.
template <int kDim>
using KdTree = nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, FitSet>,
                                                   FitSet, kDim, size_t>;

// The k best (squared distance, index) pairs, ordered lexicographically. worstDist() is a little
// above the k-th distance so that nanoflann offers (and does not prune, whatever the rounding of
// its cell bounds) equally distant points, which addPoint admits only when their index is lower.
class TieBreakingResultSet {
 public:
  using DistanceType = double;
  using IndexType = size_t;

  explicit TieBreakingResultSet(size_t k) : k_(k) { best_.reserve(k + 1); }

  // Empties the set for the next query, keeping its storage.
  void Reset() { best_.clear(); }

  bool full() const { return best_.size() == k_; }
  DistanceType worstDist() const {
    return full() ? best_.back().first * (1 + 1e-9) + std::numeric_limits<double>::min()
                  : std::numeric_limits<double>::infinity();
  }
  bool addPoint(DistanceType dist, IndexType index) {
    const std::pair<double, size_t> candidate(dist, index);
    if (full() && !(candidate < best_.back())) return true;
    size_t i = best_.size();
    if (!full()) best_.emplace_back();
    else --i;
    for (; i > 0 && candidate < best_[i - 1]; --i) best_[i] = best_[i - 1];
    best_[i] = candidate;
    return true;
  }
  const std::vector<std::pair<double, size_t>>& best() const { return best_; }

 private:
  size_t k_;
  std::vector<std::pair<double, size_t>> best_;
};

// kDim 1-4: a KD-tree of that dimension; 0: a scan (more features, where trees do not help).
template <int kDim>
class ExactKNeighborsRegressor final : public Regressor {
 public:
  static absl::StatusOr<std::shared_ptr<const Regressor>> Create(KNeighborsState state) {
    try {
      return std::shared_ptr<const Regressor>(new ExactKNeighborsRegressor(std::move(state)));
    } catch (const std::exception& e) {
      return absl::ResourceExhaustedError(absl::StrCat("k-neighbours index: ", e.what()));
    }
  }

  size_t num_features() const override { return state_.n_features; }
  absl::string_view family() const override { return "k-neighbours"; }

  void Predict(const double* x, size_t rows, double* out) const override {
    const size_t width = state_.n_features;
    TieBreakingResultSet result(state_.n_neighbors);
    for (size_t r = 0; r < rows; ++r) {
      result.Reset();
      Search(x + r * width, &result);
      out[r] = Combine(result.best(), state_.y);
    }
  }

  // The k nearest training points of one (scaled) query, in (distance, index) order.
  void Search(const double* query, TieBreakingResultSet* result) const {
    if constexpr (kDim > 0) {
      tree_.findNeighbors(*result, query, nanoflann::SearchParams());
    } else {
      Scan(query, result);
    }
  }

  // scikit-learn: np.mean(y[neighbours]) in distance order, or sum(y * w) / sum(w).
  double Combine(const std::vector<std::pair<double, size_t>>& best,
                 const std::vector<double>& y) const {
    if (!state_.distance_weights) {
      double sum = 0;
      for (const auto& [d, i] : best) sum += y[i];
      return sum / static_cast<double>(best.size());
    }
    bool exact = false;
    for (const auto& [d, i] : best) exact |= d == 0;
    double num = 0, denom = 0;
    for (const auto& [d, i] : best) {
      const double w = exact ? (d == 0 ? 1.0 : 0.0) : 1.0 / std::sqrt(d);
      num += y[i] * w;
      denom += w;
    }
    return num / denom;
  }



 private:
  explicit ExactKNeighborsRegressor(KNeighborsState state)
      : state_(std::move(state)), fit_set_{&state_},
        tree_(kDim > 0 ? kDim : 1, fit_set_, nanoflann::KDTreeSingleIndexAdaptorParams(8)) {
    if constexpr (kDim > 0) {
      tree_.buildIndex();
      return;
    }
    const size_t width = state_.n_features, n = state_.y.size();
    columns_.resize(width * n);
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = 0; j < width; ++j) columns_[j * n + i] = state_.fit_x[i * width + j];
    }
  }


  // Every training point, in index order, each distance summed in feature order as in the tree;
  // blocks of points are computed feature by feature from a feature-major copy, which the
  // compiler vectorises across points without changing any point's order of additions.
  void Scan(const double* query, TieBreakingResultSet* result) const {
    const size_t width = state_.n_features, n = state_.y.size();
    constexpr size_t kLanes = 8;  // points summed together, their sums held in registers
    size_t i = 0;
    for (; i + kLanes <= n; i += kLanes) {
      double d2[kLanes] = {};
      for (size_t j = 0; j < width; ++j) {
        const double q = query[j];
        const double* column = columns_.data() + j * n + i;
        for (size_t l = 0; l < kLanes; ++l) {
          const double diff = q - column[l];
          d2[l] += diff * diff;
        }
      }
      for (size_t l = 0; l < kLanes; ++l) Offer(d2[l], i + l, result);
    }
    for (; i < n; ++i) {
      double d2 = 0;
      for (size_t j = 0; j < width; ++j) {
        const double diff = query[j] - columns_[j * n + i];
        d2 += diff * diff;
      }
      Offer(d2, i, result);
    }
  }

  static void Offer(double d2, size_t index, TieBreakingResultSet* result) {
    if (!result->full() || d2 <= result->best().back().first) result->addPoint(d2, index);
  }

  const KNeighborsState state_;
  const FitSet fit_set_;
  KdTree<(kDim > 0 ? kDim : -1)> tree_;  // built only when kDim > 0
  std::vector<double> columns_;  // feature-major fit set, for the scan
};

absl::Status Unsupported(absl::string_view what) {
  return absl::UnimplementedError(absl::StrCat("KNeighborsRegressor: ", what));
}

absl::Status CheckMetric(const SklearnObject& knn) {
  std::string metric = "minkowski";
  if (knn.Find("effective_metric_") != nullptr) {
    ASSIGN_OR_RETURN(metric, knn.String("effective_metric_"));
  } else if (knn.Find("metric") != nullptr) {
    ASSIGN_OR_RETURN(metric, knn.String("metric"));
  }
  if (metric == "euclidean") return absl::OkStatus();
  if (metric == "minkowski") {
    double p = 2;
    if (const pickle::PickleValue* params = knn.Find("effective_metric_params_");
        params != nullptr && params->Get("p") != nullptr) {
      ASSIGN_OR_RETURN(p, pickle::NumberOf(*params->Get("p")));
    } else if (knn.Find("p") != nullptr) {
      ASSIGN_OR_RETURN(p, knn.Number("p"));
    }
    if (p == 2) return absl::OkStatus();
    return Unsupported(absl::StrCat("minkowski metric with p=", p));
  }
  return Unsupported(absl::StrCat("metric ", metric));
}

}  // namespace

absl::StatusOr<KNeighborsState> ReadKNeighbors(const SklearnObject& knn) {
  if (knn.class_name() != kKNeighborsClass) {
    return absl::InvalidArgumentError(absl::StrCat(knn.class_name(), " is not a KNeighborsRegressor"));
  }
  RETURN_IF_ERROR(CheckMetric(knn));
  KNeighborsState state;
  ASSIGN_OR_RETURN(int64_t k, knn.Integer("n_neighbors"));
  if (k < 1 || k > 1 << 20) return knn.Invalid("n_neighbors", "out of range");
  state.n_neighbors = static_cast<int32_t>(k);
  ASSIGN_OR_RETURN(std::string weights, knn.String("weights"));
  if (weights != "uniform" && weights != "distance") {
    return Unsupported(absl::StrCat("weights ", weights));
  }
  state.distance_weights = weights == "distance";
  std::vector<int64_t> shape;
  ASSIGN_OR_RETURN(state.fit_x, knn.Doubles("_fit_X", 2, &shape));
  if (shape[1] < 1 || shape[1] > 1 << 16) return knn.Invalid("_fit_X", "no features");
  state.n_features = static_cast<int32_t>(shape[1]);
  std::vector<int64_t> y_shape;
  ASSIGN_OR_RETURN(state.y, knn.Doubles("_y", -1, &y_shape));
  if (y_shape.empty() || y_shape.size() > 2 || (y_shape.size() == 2 && y_shape[1] != 1)) {
    return Unsupported("several outputs");
  }
  if (y_shape[0] != shape[0]) return knn.Invalid("_y", "does not match _fit_X");
  return state;
}

absl::StatusOr<std::shared_ptr<const Regressor>> MakeExactKNeighborsRegressor(
    KNeighborsState state) {
  if (state.n_features < 1 || state.fit_x.size() != state.y.size() * state.n_features) {
    return absl::InvalidArgumentError("KNeighborsRegressor: fit set does not match its targets");
  }
  if (state.n_neighbors < 1 || static_cast<size_t>(state.n_neighbors) > state.y.size()) {
    return absl::InvalidArgumentError(absl::StrCat("KNeighborsRegressor: n_neighbors ",
                                                   state.n_neighbors, " with ", state.y.size(),
                                                   " training points"));
  }
  for (double v : state.fit_x) {
    if (!std::isfinite(v)) return absl::InvalidArgumentError("KNeighborsRegressor: non-finite _fit_X");
  }
  for (double v : state.y) {
    if (!std::isfinite(v)) return absl::InvalidArgumentError("KNeighborsRegressor: non-finite _y");
  }
  // Above a few dimensions a KD-tree visits most points anyway; a straight scan is faster.
  switch (state.n_features) {
    case 1: return ExactKNeighborsRegressor<1>::Create(std::move(state));
    case 2: return ExactKNeighborsRegressor<2>::Create(std::move(state));
    case 3: return ExactKNeighborsRegressor<3>::Create(std::move(state));
    case 4: return ExactKNeighborsRegressor<4>::Create(std::move(state));
    default: return ExactKNeighborsRegressor<0>::Create(std::move(state));
  }
}

}  // namespace kepler::model::core::sklearn
