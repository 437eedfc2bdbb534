// Gradient-boosted regression trees (GradientBoostingRegressorTrainer) in portable JSON.
//
// What: the fitted state of a scikit-learn style GradientBoostingRegressor with squared-error
// loss: prediction = init + learning_rate * sum over trees of tree(x). Each tree is stored as
// scikit-learn stores `tree_`: parallel arrays indexed by node, root at 0; an internal node sends
// x to children_left when x[feature] <= threshold, else to children_right; a leaf has both
// children -1 (and feature -2) and predicts value.
// Why: this project's archives must be evaluable without Python or pickles (ARCHITECTURE.md,
// "Models on disk"); the trainer (trainer/gradient_boosting_trainer.h) fits the parameters and
// the estimator evaluates them through the same code.
// How: GradientBoostingToJson / GradientBoostingFromJson convert to and from the file format in
// docs/model-format.md ("model": "GradientBoostingRegressor"); MakeGradientBoostingRegressor
// validates the parameters (every child index points forward, so evaluation always ends) and
// returns a Regressor for core/regressor_model.h.
//
// Thread-safety: plain data and immutable regressors; safe to share across threads.
#ifndef KEPLER_CORE_GRADIENT_BOOSTING_MODEL_H_
#define KEPLER_CORE_GRADIENT_BOOSTING_MODEL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/regressor_model.h"

namespace kepler::model::core {

// One regression tree, scikit-learn's `tree_` layout (all arrays have one entry per node).
struct RegressionTree {
  std::vector<int32_t> children_left;   // -1 at leaves
  std::vector<int32_t> children_right;  // -1 at leaves
  std::vector<int32_t> feature;         // input column; kLeafFeature at leaves
  std::vector<double> threshold;        // go left when x[feature] <= threshold; -2 at leaves
  std::vector<double> value;            // the node's mean target (predicted at leaves)

  static constexpr int32_t kLeafFeature = -2;
};

// A fitted ensemble.
struct GradientBoostingParams {
  int32_t n_features = 0;      // input columns, >= 1
  double init = 0;             // the initial prediction (the training targets' mean)
  double learning_rate = 0.1;  // shrinkage applied to every tree
  std::vector<RegressionTree> trees;
  // Round inputs to float32 before the tree walk, as scikit-learn's predict does (X is cast to
  // float32; thresholds stay float64). Set for pickled scikit-learn models; not serialised.
  bool float32_inputs = false;
};

// InvalidArgument unless: n_features >= 1; every tree has at least one node and equal-length
// arrays; a node's children are both -1 or both later nodes; internal features lie in
// [0, n_features); every number is finite.
absl::Status ValidateGradientBoosting(const GradientBoostingParams& params);

// The JSON model file; InvalidArgument when the parameters do not validate.
absl::StatusOr<std::string> GradientBoostingToJson(const GradientBoostingParams& params);

// Parses and validates a JSON model file.
absl::StatusOr<GradientBoostingParams> GradientBoostingFromJson(absl::string_view json);

// A Regressor evaluating `params` after validating them.
absl::StatusOr<std::shared_ptr<const Regressor>> MakeGradientBoostingRegressor(
    GradientBoostingParams params);

// Value of "model" in the JSON file.
inline constexpr char kGradientBoostingModelName[] = "GradientBoostingRegressor";

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_GRADIENT_BOOSTING_MODEL_H_
