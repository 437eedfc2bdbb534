// Epsilon support-vector regression with an RBF kernel (SVRRegressorTrainer) in portable JSON.
//
// What: the fitted state of a scikit-learn SVR(kernel="rbf"): support vectors s_i, their dual
// coefficients a_i, the kernel width gamma and the intercept b (libsvm's -rho). A prediction is
//   f(x) = sum_i a_i * exp(-gamma * |x - s_i|^2) + b.
// Why: this project's archives must be evaluable without Python, pickles or libsvm's model text;
// the trainer (trainer/svr_trainer.h, which fits with libsvm) and the estimator share this code.
// How: SvrToJson / SvrFromJson convert to and from the file format in docs/model-format.md
// ("model": "SVR", with scikit-learn's attribute names support_vectors_, dual_coef_,
// intercept_, _gamma, without the underscores); MakeSvrRegressor validates and returns a
// Regressor.
//
// Thread-safety: plain data and immutable regressors; safe to share across threads.
#ifndef KEPLER_CORE_SVR_MODEL_H_
#define KEPLER_CORE_SVR_MODEL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/regressor_model.h"

namespace kepler::model::core {

// A fitted RBF epsilon-SVR.
struct SvrParams {
  int32_t n_features = 0;               // input columns, >= 1
  double gamma = 1.0;                   // RBF width, > 0
  double intercept = 0;                 // b = -rho
  std::vector<double> support_vectors;  // row-major, n_features per vector
  std::vector<double> dual_coef;        // one per support vector
};

// InvalidArgument unless n_features >= 1, gamma > 0, support_vectors holds dual_coef.size()
// whole rows, and every number is finite. Zero support vectors is valid (f(x) = b).
absl::Status ValidateSvr(const SvrParams& params);

// The JSON model file; InvalidArgument when the parameters do not validate.
absl::StatusOr<std::string> SvrToJson(const SvrParams& params);

// Parses and validates a JSON model file.
absl::StatusOr<SvrParams> SvrFromJson(absl::string_view json);

// A Regressor evaluating `params` after validating them.
absl::StatusOr<std::shared_ptr<const Regressor>> MakeSvrRegressor(SvrParams params);

// Value of "model" in the JSON file.
inline constexpr char kSvrModelName[] = "SVR";

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_SVR_MODEL_H_
