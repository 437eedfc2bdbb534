// Linear, polynomial and curve-fit regressors (the LinearRegression, SGDRegressor,
// PolynomialRegression and the three curve-fit trainers) in portable JSON.
//
// What: three small Regressors (core/regressor_model.h) over already-scaled inputs:
//   - linear: intercept + coef . x ("model": "LinearRegression" or "SGDRegressor");
//   - polynomial: intercept + coef . poly(x), poly = scikit-learn's PolynomialFeatures(degree)
//     with the bias column ("model": "PolynomialRegression");
//   - curve: one curve of one column x[feature_index] ("model": "CurveFit", "curve":
//     "logarithmic" | "exponential" | "logistic"; core/regression_math.h).
// Why: this project's archives must be evaluable without Python; the trainers
// (trainer/linear_trainers.h, trainer/curve_fit_trainer.h) predict through these same
// Regressors, so the trainer's test metrics and the estimator's answers agree bit for bit.
// How: LinearFamilyToJson / ParseLinearFamilyRegressor convert to and from the component file of
// docs/model-format.md; Make*Regressor validate and build. IsLinearFamilyModel tells whether a
// "model" name belongs here (core/portable_model.cc dispatches on it).
//
// Thread-safety: plain data and immutable regressors; Predict may run concurrently.
#ifndef KEPLER_CORE_LINEAR_MODEL_H_
#define KEPLER_CORE_LINEAR_MODEL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/regressor_model.h"
#include "core/weight_model.h"

namespace kepler::model::core {

// Values of "model" in the component files.
inline constexpr char kLinearRegressionModelName[] = "LinearRegression";
inline constexpr char kSgdRegressorModelName[] = "SGDRegressor";
inline constexpr char kPolynomialRegressionModelName[] = "PolynomialRegression";
inline constexpr char kCurveFitModelName[] = "CurveFit";

// A fitted linear-family component. Which fields matter depends on `model`.
struct LinearFamilyParams {
  std::string model;          // one of the names above
  int n_features = 0;         // input columns, >= 1
  std::vector<double> coef;   // linear: n_features; polynomial: one per PolynomialTerms term
  double intercept = 0;       // linear and polynomial
  int degree = 2;             // polynomial only, 1..4
  CurveKind curve = CurveKind::kLogarithmic;  // curve fit only
  int feature_index = 0;      // curve fit only: the column the curve reads
  std::vector<double> params; // curve fit only: 3 values, or 4 for logistic (A, x0, k, off)
};

// True when `model` is one of the names above.
bool IsLinearFamilyModel(absl::string_view model);

// InvalidArgument unless the fields `model` uses are consistent and finite.
absl::Status ValidateLinearFamily(const LinearFamilyParams& params);

// The JSON component file; InvalidArgument when the parameters do not validate.
absl::StatusOr<std::string> LinearFamilyToJson(const LinearFamilyParams& params);
// Parses and validates a component file.
absl::StatusOr<LinearFamilyParams> LinearFamilyFromJson(absl::string_view json);

// A Regressor over `params` (validated).
absl::StatusOr<std::shared_ptr<const Regressor>> MakeLinearFamilyRegressor(
    LinearFamilyParams params);

// LinearFamilyFromJson then MakeLinearFamilyRegressor.
absl::StatusOr<std::shared_ptr<const Regressor>> ParseLinearFamilyRegressor(
    absl::string_view json);

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_LINEAR_MODEL_H_
