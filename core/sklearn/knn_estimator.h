// scikit-learn's KNeighborsRegressor, read from its pickle and evaluated exactly.
//
// What: ReadKNeighbors reads a pickled `sklearn.neighbors._regression.KNeighborsRegressor`
// (n_neighbors, weights 'uniform' or 'distance', the Euclidean metric: minkowski with p=2 or
// 'euclidean', the fit set `_fit_X` and targets `_y`); the search structure it was fitted with
// (kd_tree, ball_tree or brute) is ignored, because all give the same neighbours.
// MakeExactKNeighborsRegressor predicts as scikit-learn does: the k training points with the
// smallest Euclidean distance (squared differences summed in feature order, as the KD-tree
// computes them), then the mean of their targets, or for 'distance' weights the 1/d-weighted
// mean (training points at distance 0, when any, share all the weight).
// Ties: when several training points are equally far at the k-th place, scikit-learn's choice
// depends on its search order; here the points with the lowest training index win, always,
// whatever the search order (a documented, tested rule: docs/model-format.md).
// Why: the published KNN models (k=6 over a few hundred points) are among the most accurate
// for small feature sets and only exist as pickles.
// How: a nanoflann KD-tree over the fit set with a result set that orders by (distance,
// index), so equal distances are resolved by index and pruning keeps every tied candidate.
//
// Thread-safety: the regressor is immutable; Predict may run concurrently.
#ifndef KEPLER_CORE_SKLEARN_KNN_ESTIMATOR_H_
#define KEPLER_CORE_SKLEARN_KNN_ESTIMATOR_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "core/regressor_model.h"
#include "core/sklearn/sklearn_pickle.h"

namespace kepler::model::core::sklearn {

inline constexpr char kKNeighborsClass[] = "sklearn.neighbors._regression.KNeighborsRegressor";

struct KNeighborsState {
  int32_t n_neighbors = 5;
  bool distance_weights = false;  // weights='distance'; else uniform
  int32_t n_features = 0;
  std::vector<double> fit_x;  // row-major, n_features per point
  std::vector<double> y;      // one target per point
};

// InvalidArgument for malformed state; Unimplemented for other metrics, callable weights or
// several outputs.
absl::StatusOr<KNeighborsState> ReadKNeighbors(const SklearnObject& knn);

// Validates (k within the fit set, finite values) and indexes the fit set.
absl::StatusOr<std::shared_ptr<const Regressor>> MakeExactKNeighborsRegressor(KNeighborsState state);

}  // namespace kepler::model::core::sklearn

#endif  // KEPLER_CORE_SKLEARN_KNN_ESTIMATOR_H_
