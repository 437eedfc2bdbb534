// Models whose components are pickled scikit-learn estimators (model_class "scikit") or the
// reference's pickled curve fits ("curvefit"): the published model databases' archives.
//
// What: LoadSklearnModel builds a core::Model from a model folder's files: for each component of
// the component map, `fe_files` in order (scaler.pkl, a MaxAbsScaler; then optionally
// poly_scaler.pkl, a PolynomialFeatures) and the component's pickle, which may hold a
// GradientBoostingRegressor, KNeighborsRegressor, SVR, LinearRegression, SGDRegressor or a
// CurveFitModel (core/sklearn/*_estimator.h). Predictions are scikit-learn's (negative watts
// clamped to 0 by core::Model).
// Why: most published archives, and the most accurate ones, are such pickles; the estimator
// sidecar must evaluate them without Python.
// How: registered by core/model_loader.cc for model_class "scikit" and "curvefit". Errors:
// InvalidArgument for malformed or hostile files (naming file and reason), Unimplemented
// "unsupported model format: ..." naming the class, file or setting that cannot be evaluated.
//
// Thread-safety: stateless; models are immutable.
#ifndef KEPLER_CORE_SKLEARN_SKLEARN_MODEL_H_
#define KEPLER_CORE_SKLEARN_SKLEARN_MODEL_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/component_map.h"
#include "core/model.h"
#include "core/regressor_model.h"

namespace kepler::model::core::sklearn {

// The Regressor in one component pickle (no feature engineering).
absl::StatusOr<std::shared_ptr<const Regressor>> ReadSklearnRegressor(absl::string_view pickle,
                                                                      int n_features);

absl::StatusOr<std::shared_ptr<const Model>> LoadSklearnModel(const ModelFiles& files,
                                                              const v1::ModelMetadata& metadata);

}  // namespace kepler::model::core::sklearn

#endif  // KEPLER_CORE_SKLEARN_SKLEARN_MODEL_H_
