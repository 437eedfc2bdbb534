#include "core/svr_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "Eigen/Core"
#include "absl/strings/str_cat.h"
#include "core/internal/json_arrays.h"
#include "core/status_macros.h"

namespace kepler::model::core {
namespace {

constexpr int32_t kMaxInt = std::numeric_limits<int32_t>::max();

absl::Status Invalid(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("SVR model: ", what));
}

class SvrRegressor final : public Regressor {
 public:
  explicit SvrRegressor(SvrParams params)
      : params_(std::move(params)), sv_norms_(Norms(params_)) {}

  size_t num_features() const override { return params_.n_features; }
  absl::string_view family() const override { return "svr"; }

  // Kernel blocks as matrix products, |x - s|^2 = |x|^2 + |s|^2 - 2 x.s, as libsvm (and so
  // scikit-learn) evaluates the RBF kernel; distances that round below 0 count as 0.
  void Predict(const double* x, size_t rows, double* out) const override {
    const Eigen::Index width = params_.n_features;
    const Eigen::Index n_sv = static_cast<Eigen::Index>(params_.dual_coef.size());
    const ConstRowMatrix sv(params_.support_vectors.data(), n_sv, width);
    const Eigen::Map<const Eigen::VectorXd> coef(params_.dual_coef.data(), n_sv);
    for (size_t start = 0; start < rows; start += kBlockRows) {
      const Eigen::Index n = static_cast<Eigen::Index>(std::min(kBlockRows, rows - start));
      const ConstRowMatrix block(x + start * width, n, width);
      Eigen::MatrixXd d2 = -2.0 * (block * sv.transpose());
      d2.colwise() += block.rowwise().squaredNorm();
      d2.rowwise() += sv_norms_.transpose();
      Eigen::Map<Eigen::VectorXd>(out + start, n) =
          (-params_.gamma * d2.array().max(0.0)).exp().matrix() * coef +
          Eigen::VectorXd::Constant(n, params_.intercept);
    }
  }

 private:
  using ConstRowMatrix =
      Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
  static constexpr size_t kBlockRows = 256;  // bounds the kernel block to 256 x support vectors

  static Eigen::VectorXd Norms(const SvrParams& p) {
    const Eigen::Index n_sv = static_cast<Eigen::Index>(p.dual_coef.size());
    return ConstRowMatrix(p.support_vectors.data(), n_sv, p.n_features).rowwise().squaredNorm();
  }

  const SvrParams params_;
  const Eigen::VectorXd sv_norms_;  // |s_i|^2
};

}  // namespace

absl::Status ValidateSvr(const SvrParams& params) {
  if (params.n_features < 1) return Invalid("n_features must be >= 1");
  if (!(params.gamma > 0) || !std::isfinite(params.gamma)) return Invalid("gamma must be > 0");
  if (!std::isfinite(params.intercept)) return Invalid("intercept is not finite");
  if (params.support_vectors.size() != params.dual_coef.size() * params.n_features) {
    return Invalid("support_vectors and dual_coef differ in length");
  }
  for (double v : params.support_vectors) {
    if (!std::isfinite(v)) return Invalid("support_vectors holds a non-finite number");
  }
  for (double v : params.dual_coef) {
    if (!std::isfinite(v)) return Invalid("dual_coef holds a non-finite number");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> SvrToJson(const SvrParams& params) {
  RETURN_IF_ERROR(ValidateSvr(params));
  rapidjson::Document doc = internal::NewModelFile(kSvrModelName);
  doc.AddMember("kernel", "rbf", doc.GetAllocator());
  internal::AddInt(&doc, &doc, "n_features", params.n_features);
  internal::AddDouble(&doc, &doc, "gamma", params.gamma);
  internal::AddDouble(&doc, &doc, "intercept", params.intercept);
  internal::AddRows(&doc, &doc, "support_vectors", params.support_vectors, params.n_features);
  internal::AddDoubles(&doc, &doc, "dual_coef", params.dual_coef);
  return internal::ToJsonText(doc);
}

absl::StatusOr<SvrParams> SvrFromJson(absl::string_view json) {
  ASSIGN_OR_RETURN(rapidjson::Document doc, internal::ParseModelFile(json, kSvrModelName));
  auto kernel = doc.FindMember("kernel");
  if (kernel == doc.MemberEnd() || !kernel->value.IsString() ||
      std::string(kernel->value.GetString()) != "rbf") {
    return Invalid("only the \"rbf\" kernel is supported");
  }
  SvrParams params;
  ASSIGN_OR_RETURN(int64_t n_features, internal::GetInt(doc, "n_features", 1, kMaxInt));
  params.n_features = static_cast<int32_t>(n_features);
  ASSIGN_OR_RETURN(params.gamma, internal::GetDouble(doc, "gamma"));
  ASSIGN_OR_RETURN(params.intercept, internal::GetDouble(doc, "intercept"));
  ASSIGN_OR_RETURN(params.support_vectors,
                   internal::GetRows(doc, "support_vectors", params.n_features));
  ASSIGN_OR_RETURN(params.dual_coef, internal::GetDoubles(doc, "dual_coef"));
  RETURN_IF_ERROR(ValidateSvr(params));
  return params;
}

absl::StatusOr<std::shared_ptr<const Regressor>> MakeSvrRegressor(SvrParams params) {
  RETURN_IF_ERROR(ValidateSvr(params));
  return std::make_shared<const SvrRegressor>(std::move(params));
}

}  // namespace kepler::model::core
