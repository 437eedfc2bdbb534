// scikit-learn's SVR, read from its pickle.
//
// What: ReadSvr reads a pickled `sklearn.svm._classes.SVR` (dense, fitted): the kernel (rbf,
// linear, poly, sigmoid), `_gamma`, `coef0`, `degree`, `support_vectors_`, `_dual_coef_` and
// `_intercept_`. MakeSvrKernelRegressor predicts as libsvm does for scikit-learn:
//   f(x) = sum_i dual_i * K(sv_i, x) + intercept,
// with K = x.s (linear), (gamma x.s + coef0)^degree (poly), exp(-gamma |x - s|^2) (rbf),
// tanh(gamma x.s + coef0) (sigmoid). A model with no support vectors predicts its intercept.
// Why: SVR models are published only as pickles.
// How: ReadSvr(object) then MakeSvrKernelRegressor.
//
// Thread-safety: the regressor is immutable; Predict may run concurrently.
#ifndef KEPLER_CORE_SKLEARN_SVR_ESTIMATOR_H_
#define KEPLER_CORE_SKLEARN_SVR_ESTIMATOR_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "core/regressor_model.h"
#include "core/sklearn/sklearn_pickle.h"

namespace kepler::model::core::sklearn {

inline constexpr char kSvrClass[] = "sklearn.svm._classes.SVR";

struct SvrState {
  enum class Kernel { kLinear, kPoly, kRbf, kSigmoid };
  Kernel kernel = Kernel::kRbf;
  double gamma = 1;
  double coef0 = 0;
  int32_t degree = 3;
  int32_t n_features = 0;
  std::vector<double> support_vectors;  // row-major, n_features per vector
  std::vector<double> dual_coef;        // one per support vector
  double intercept = 0;
};

// InvalidArgument for malformed state; Unimplemented for precomputed or callable kernels and
// sparse fits.
absl::StatusOr<SvrState> ReadSvr(const SklearnObject& svr);

// Validates (sizes, finite values, degree in [0, 100]) and builds the regressor.
absl::StatusOr<std::shared_ptr<const Regressor>> MakeSvrKernelRegressor(SvrState state);

}  // namespace kepler::model::core::sklearn

#endif  // KEPLER_CORE_SKLEARN_SVR_ESTIMATOR_H_
