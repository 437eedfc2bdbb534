// scikit-learn's linear models and PolynomialFeatures, and the reference's curve fits, read from
// their pickles.
//
// What: ReadLinear reads `LinearRegression` or `SGDRegressor` (coef_, intercept_; single
// output); ReadPolynomialFeatures reads `PolynomialFeatures` (degree or (min, max) degrees,
// interaction_only, include_bias) into the list of its output terms in scikit-learn's order;
// ReadCurveFit reads the reference's `trainer.curvefit.CurveFitModel` (fit_func, popt,
// feature_index). Each Make* builds the core::Regressor: linear x.coef + intercept; polynomial
// poly(x).coef + intercept with each term multiplied as scikit-learn does (x_i * (x_j * x_k));
// a curve of one column (core/regression_math.h).
// Why: the published Linear, SGD, Polynomial and curve-fit archives are pickles; their weight
// documents, where they exist, are rounded copies.
// How: Read*(object) then Make*. Polynomial archives chain scaler.pkl, poly_scaler.pkl and a
// LinearRegression (core/sklearn/sklearn_model.h).
//
// Thread-safety: stateless; regressors are immutable.
#ifndef KEPLER_CORE_SKLEARN_LINEAR_ESTIMATOR_H_
#define KEPLER_CORE_SKLEARN_LINEAR_ESTIMATOR_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "core/regression_math.h"
#include "core/regressor_model.h"
#include "core/sklearn/sklearn_pickle.h"

namespace kepler::model::core::sklearn {

inline constexpr char kLinearRegressionClass[] = "sklearn.linear_model._base.LinearRegression";
inline constexpr char kSgdRegressorClass[] =
    "sklearn.linear_model._stochastic_gradient.SGDRegressor";

struct LinearState {
  std::vector<double> coef;
  double intercept = 0;
};

// The output columns of a fitted PolynomialFeatures: each term lists the input columns it
// multiplies (empty for the bias), in scikit-learn's order.
struct PolynomialState {
  int n_features_in = 0;
  std::vector<std::vector<int>> terms;
};

struct CurveFitState {
  CurveKind curve = CurveKind::kLogarithmic;
  std::vector<double> popt;
  int feature_index = 0;
};

// Whether `class_name` is a linear model ReadLinear reads, or the reference's CurveFitModel.
bool IsLinearClass(absl::string_view class_name);
bool IsCurveFitClass(absl::string_view class_name);

absl::StatusOr<LinearState> ReadLinear(const SklearnObject& model);
absl::StatusOr<PolynomialState> ReadPolynomialFeatures(const SklearnObject& poly);
absl::StatusOr<CurveFitState> ReadCurveFit(const SklearnObject& curve);

// x . coef + intercept over coef.size() inputs.
absl::StatusOr<std::shared_ptr<const Regressor>> MakeLinearRegressor(LinearState linear);
// poly(x) . coef + intercept over poly.n_features_in inputs; coef has one entry per term.
absl::StatusOr<std::shared_ptr<const Regressor>> MakePolynomialRegressor(PolynomialState poly,
                                                                         LinearState linear);
// The curve of column feature_index of `n_features` inputs.
absl::StatusOr<std::shared_ptr<const Regressor>> MakeCurveFitRegressor(CurveFitState curve,
                                                                       int n_features);

}  // namespace kepler::model::core::sklearn

#endif  // KEPLER_CORE_SKLEARN_LINEAR_ESTIMATOR_H_
