// k-nearest-neighbours regression (KNeighborsRegressorTrainer) in portable JSON.
//
// What: the fitted state of a scikit-learn KNeighborsRegressor with uniform weights and the
// Euclidean metric: the training points and their targets. A prediction is the mean target of
// the n_neighbors training points nearest to x (ties among equally distant points are broken
// by the search order, as in scikit-learn, where they are also arbitrary).
// Why: this project's archives must be evaluable without Python or pickles; the trainer
// (trainer/knn_trainer.h) and the estimator share this code.
// How: KNeighborsToJson / KNeighborsFromJson convert to and from the file format in
// docs/model-format.md ("model": "KNeighborsRegressor"). MakeKNeighborsRegressor validates the
// parameters and builds a KD-tree (nanoflann) over the points once; each query then costs about
// log(points) distance evaluations.
//
// Thread-safety: plain data and immutable regressors; queries on one regressor may run
// concurrently.
#ifndef KEPLER_CORE_KNN_MODEL_H_
#define KEPLER_CORE_KNN_MODEL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/regressor_model.h"

namespace kepler::model::core {

// A fitted k-neighbours regressor.
struct KNeighborsParams {
  int32_t n_neighbors = 6;  // k, >= 1
  int32_t n_features = 0;   // input columns, >= 1
  std::vector<double> fit_x;  // training points, row-major, n_features per row
  std::vector<double> fit_y;  // one target per training point
};

// InvalidArgument unless n_neighbors >= 1, n_features >= 1, fit_x holds fit_y.size() whole rows,
// there are at least n_neighbors points, and every number is finite.
absl::Status ValidateKNeighbors(const KNeighborsParams& params);

// The JSON model file; InvalidArgument when the parameters do not validate.
absl::StatusOr<std::string> KNeighborsToJson(const KNeighborsParams& params);

// Parses and validates a JSON model file.
absl::StatusOr<KNeighborsParams> KNeighborsFromJson(absl::string_view json);

// A Regressor over `params` (validated, then indexed).
absl::StatusOr<std::shared_ptr<const Regressor>> MakeKNeighborsRegressor(KNeighborsParams params);

// Value of "model" in the JSON file.
inline constexpr char kKNeighborsModelName[] = "KNeighborsRegressor";

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_KNN_MODEL_H_
