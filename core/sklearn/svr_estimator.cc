#include "core/sklearn/svr_estimator.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace kepler::model::core::sklearn {
namespace {

using Kernel = SvrState::Kernel;

// libsvm's powi: exponentiation by squaring, so poly kernels round as scikit-learn's do.
double Powi(double base, int times) {
  double result = 1.0, square = base;
  for (int t = times; t > 0; t /= 2) {
    if (t % 2 == 1) result *= square;
    square *= square;
  }
  return result;
}

class SvrKernelRegressor final : public Regressor {
 public:
  explicit SvrKernelRegressor(SvrState state) : state_(std::move(state)) {}

  size_t num_features() const override { return state_.n_features; }
  absl::string_view family() const override { return "svr"; }

  void Predict(const double* x, size_t rows, double* out) const override {
    const size_t width = state_.n_features, n = state_.dual_coef.size();
    for (size_t r = 0; r < rows; ++r) {
      const double* row = x + r * width;
      double sum = 0;
      for (size_t i = 0; i < n; ++i) {
        sum += state_.dual_coef[i] * KernelValue(row, state_.support_vectors.data() + i * width);
      }
      out[r] = sum + state_.intercept;
    }
  }

 private:
  double KernelValue(const double* x, const double* s) const {
    const size_t width = state_.n_features;
    if (state_.kernel == Kernel::kRbf) {
      double d2 = 0;
      for (size_t j = 0; j < width; ++j) d2 += (x[j] - s[j]) * (x[j] - s[j]);
      return std::exp(-state_.gamma * d2);
    }
    double dot = 0;
    for (size_t j = 0; j < width; ++j) dot += x[j] * s[j];
    switch (state_.kernel) {
      case Kernel::kLinear: return dot;
      case Kernel::kPoly: return Powi(state_.gamma * dot + state_.coef0, state_.degree);
      default: return std::tanh(state_.gamma * dot + state_.coef0);
    }
  }

  const SvrState state_;
};

absl::StatusOr<Kernel> KernelOf(const SklearnObject& svr) {
  ASSIGN_OR_RETURN(std::string name, svr.String("kernel"));
  if (name == "rbf") return Kernel::kRbf;
  if (name == "linear") return Kernel::kLinear;
  if (name == "poly") return Kernel::kPoly;
  if (name == "sigmoid") return Kernel::kSigmoid;
  return absl::UnimplementedError(absl::StrCat("SVR: kernel ", name));
}

}  // namespace

absl::StatusOr<SvrState> ReadSvr(const SklearnObject& svr) {
  if (svr.class_name() != kSvrClass) {
    return absl::InvalidArgumentError(absl::StrCat(svr.class_name(), " is not an SVR"));
  }
  if (const pickle::PickleValue* sparse = svr.Find("_sparse"); sparse != nullptr && sparse->boolean) {
    return absl::UnimplementedError("SVR: fitted on sparse data");
  }
  SvrState state;
  ASSIGN_OR_RETURN(state.kernel, KernelOf(svr));
  ASSIGN_OR_RETURN(state.gamma, svr.Number("_gamma"));
  if (state.kernel == Kernel::kPoly || state.kernel == Kernel::kSigmoid) {
    ASSIGN_OR_RETURN(state.coef0, svr.Number("coef0"));
  }
  if (state.kernel == Kernel::kPoly) {
    ASSIGN_OR_RETURN(int64_t degree, svr.Integer("degree"));
    if (degree < 0 || degree > 100) return svr.Invalid("degree", "out of range");
    state.degree = static_cast<int32_t>(degree);
  }
  std::vector<int64_t> shape;
  ASSIGN_OR_RETURN(state.support_vectors, svr.Doubles("support_vectors_", 2, &shape));
  int64_t n_features = shape[1];
  if (const pickle::PickleValue* fit_shape = svr.Find("shape_fit_");
      fit_shape != nullptr && fit_shape->kind == pickle::PickleValue::Kind::kTuple &&
      fit_shape->items.size() == 2) {
    ASSIGN_OR_RETURN(n_features, pickle::IntegerOf(*fit_shape->items[1]));
  }
  if (n_features < 1 || n_features > 1 << 16 || (shape[0] > 0 && shape[1] != n_features)) {
    return svr.Invalid("support_vectors_", "does not match the fitted feature count");
  }
  state.n_features = static_cast<int32_t>(n_features);
  std::vector<int64_t> dual_shape;
  ASSIGN_OR_RETURN(state.dual_coef, svr.Doubles("_dual_coef_", 2, &dual_shape));
  if (dual_shape[0] != 1 || dual_shape[1] != shape[0]) {
    return svr.Invalid("_dual_coef_", "does not match support_vectors_");
  }
  ASSIGN_OR_RETURN(std::vector<double> intercept, svr.Doubles("_intercept_", 1));
  if (intercept.size() != 1) return svr.Invalid("_intercept_", "expected one value");
  state.intercept = intercept[0];
  return state;
}

absl::StatusOr<std::shared_ptr<const Regressor>> MakeSvrKernelRegressor(SvrState state) {
  if (state.n_features < 1 ||
      state.support_vectors.size() != state.dual_coef.size() * state.n_features) {
    return absl::InvalidArgumentError("SVR: support vectors do not match their coefficients");
  }
  if (state.degree < 0 || state.degree > 100) return absl::InvalidArgumentError("SVR: degree");
  bool finite = std::isfinite(state.gamma) && std::isfinite(state.coef0) &&
                std::isfinite(state.intercept);
  for (double v : state.support_vectors) finite &= std::isfinite(v);
  for (double v : state.dual_coef) finite &= std::isfinite(v);
  if (!finite) return absl::InvalidArgumentError("SVR: non-finite parameters");
  return std::shared_ptr<const Regressor>(new SvrKernelRegressor(std::move(state)));
}

}  // namespace kepler::model::core::sklearn
