// scikit-learn's GradientBoostingRegressor, read from its pickle.
//
// What: ReadGradientBoosting turns a pickled `sklearn.ensemble._gb.GradientBoostingRegressor`
// (scikit-learn 1.2-1.5 layouts) into core::GradientBoostingParams: the init estimator's
// constant (DummyRegressor `constant_`, or 0 for init='zero'), the learning rate, and each
// stage's `sklearn.tree._tree.Tree` (node records with or without `missing_go_to_left`, values
// of shape (nodes, 1, 1)), with float32 inputs as scikit-learn casts X before the tree walk.
// Why: GradientBoosting is the most accurate family the published databases hold and, as a
// pickle, the one Kepler's own code cannot evaluate.
// How: ReadGradientBoosting(object) then core::MakeGradientBoostingRegressor. Predictions are
// bit-identical to scikit-learn's predict: init + sum of learning_rate * leaf value, tree by
// tree, on float32-rounded inputs compared with float64 thresholds.
// Only single-output regression with one tree per stage is accepted; the loss may be any of
// the regression losses (their prediction is the raw score; identity link).
//
// Thread-safety: stateless.
#ifndef KEPLER_CORE_SKLEARN_GRADIENT_BOOSTING_ESTIMATOR_H_
#define KEPLER_CORE_SKLEARN_GRADIENT_BOOSTING_ESTIMATOR_H_

#include "absl/status/statusor.h"
#include "core/gradient_boosting_model.h"
#include "core/sklearn/sklearn_pickle.h"

namespace kepler::model::core::sklearn {

inline constexpr char kGradientBoostingClass[] = "sklearn.ensemble._gb.GradientBoostingRegressor";

// InvalidArgument naming the attribute for malformed state; Unimplemented for layouts that
// predict differently (several outputs or trees per stage, a non-constant init estimator).
absl::StatusOr<GradientBoostingParams> ReadGradientBoosting(const SklearnObject& gb);

}  // namespace kepler::model::core::sklearn

#endif  // KEPLER_CORE_SKLEARN_GRADIENT_BOOSTING_ESTIMATOR_H_
