#include "trainer/internal/linear_family_trainer.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "core/trainer_name.h"

namespace kepler::model::trainer::internal {
namespace {

absl::Status CheckWeightInputs(const core::LinearFamilyParams& p,
                               const std::vector<std::string>& features,
                               const std::vector<double>& scale) {
  if (features.size() != static_cast<size_t>(p.n_features) || scale.size() != features.size()) {
    return absl::InvalidArgumentError(absl::StrCat("weights need ", p.n_features,
                                                   " features and scales, got ", features.size(),
                                                   " and ", scale.size()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckFitInput(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, int min_rows) {
  if (x.rows() != y.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(x.rows(), " feature rows but ", y.size(), " labels"));
  }
  if (x.cols() < 1) return absl::InvalidArgumentError("no feature column");
  if (x.rows() < min_rows) {
    return absl::FailedPreconditionError(
        absl::StrCat(x.rows(), " training rows, at least ", min_rows, " needed"));
  }
  if (!x.allFinite() || !y.allFinite()) {
    return absl::InvalidArgumentError("training data holds NaN or infinite values");
  }
  return absl::OkStatus();
}

Eigen::VectorXd LinearFamilyTrainer::Predict(const Eigen::MatrixXd& x_scaled) const {
  Eigen::VectorXd out(x_scaled.rows());
  if (regressor_ == nullptr || static_cast<size_t>(x_scaled.cols()) != regressor_->num_features()) {
    out.setConstant(std::numeric_limits<double>::quiet_NaN());
    return out;
  }
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = x_scaled;
  regressor_->Predict(rows.data(), static_cast<size_t>(rows.rows()), out.data());
  return out;
}

absl::StatusOr<std::string> LinearFamilyTrainer::SaveJson() const {
  if (!params_) {
    return absl::FailedPreconditionError(
        absl::StrCat(core::TrainerNameString(name()), " is not fitted"));
  }
  return core::LinearFamilyToJson(*params_);
}

absl::Status LinearFamilyTrainer::LoadJson(absl::string_view json,
                                           absl::string_view expected_model) {
  ClearFitted();
  ASSIGN_OR_RETURN(core::LinearFamilyParams params, core::LinearFamilyFromJson(json));
  if (params.model != expected_model) {
    return absl::InvalidArgumentError(absl::StrCat(core::TrainerNameString(name()), " expects a ",
                                                   expected_model, " model, got ", params.model));
  }
  return SetFitted(std::move(params));
}

absl::Status LinearFamilyTrainer::SetFitted(core::LinearFamilyParams params) {
  ClearFitted();
  ASSIGN_OR_RETURN(regressor_, core::MakeLinearFamilyRegressor(params));
  params_ = std::move(params);
  return absl::OkStatus();
}

void LinearFamilyTrainer::ClearFitted() {
  params_.reset();
  regressor_.reset();
}

absl::StatusOr<v1::ComponentWeights> LinearFamilyTrainer::LinearWeights(
    absl::string_view component, const std::vector<std::string>& features,
    const std::vector<double>& scale) const {
  if (!params_) return absl::FailedPreconditionError("no fitted model to publish weights of");
  RETURN_IF_ERROR(CheckWeightInputs(*params_, features, scale));
  v1::ComponentWeights out;
  out.set_component(std::string(component));
  out.set_bias_weight(params_->intercept);
  for (size_t i = 0; i < features.size(); ++i) {
    out.add_feature_names(features[i]);
    v1::NumericalVariable* var = out.add_numerical_variables();
    var->set_scale(scale[i]);
    var->set_weight(params_->coef[i]);
  }
  return out;
}

absl::StatusOr<v1::ComponentWeights> LinearFamilyTrainer::CurveWeights(
    absl::string_view component, const std::vector<std::string>& features,
    const std::vector<double>& scale) const {
  if (!params_) return absl::FailedPreconditionError("no fitted model to publish weights of");
  RETURN_IF_ERROR(CheckWeightInputs(*params_, features, scale));
  v1::ComponentWeights out;
  out.set_component(std::string(component));
  for (size_t i = 0; i < features.size(); ++i) {
    out.add_feature_names(features[i]);
    out.add_numerical_variables()->set_scale(scale[i]);
  }
  for (double p : params_->params) out.add_curve_fit_weights(p);
  return out;
}

}  // namespace kepler::model::trainer::internal
