// Reading any of the portable-JSON regressor files (docs/model-format.md) of the tree, neighbour
// and SVR families.
//
// What: ParsePortableRegressor reads one component model file written by the gradient-boosting,
// k-neighbours or SVR trainers and returns its Regressor, choosing the family by the file's
// "model" member ("GradientBoostingRegressor", "KNeighborsRegressor", "SVR"); an xgboost JSON
// model (an object with "learner", what XgboostFitTrainer writes) is evaluated with libxgboost
// (core/xgboost_model.h).
// Why: the model loader (core/model_loader.h) sees only a component map and file bytes; the files
// describe themselves, so one entry point evaluates every portable family and a new family is
// one more case here.
// How: pass the file's bytes; combine the regressors with core/regressor_model.h.
//
// Thread-safety: stateless; the returned regressors are immutable.
#ifndef KEPLER_CORE_PORTABLE_REGRESSOR_H_
#define KEPLER_CORE_PORTABLE_REGRESSOR_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/regressor_model.h"

namespace kepler::model::core {

// The Regressor in `json`. InvalidArgument when it is not JSON, not an object, or invalid for its
// family; Unimplemented when "model" names no known portable family.
absl::StatusOr<std::shared_ptr<const Regressor>> ParsePortableRegressor(absl::string_view json);

// True when `json` looks like a portable regressor file (an object whose "model" is one of the
// families above, or an xgboost JSON model), without validating it.
bool IsPortableRegressorJson(absl::string_view json);

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_PORTABLE_REGRESSOR_H_
