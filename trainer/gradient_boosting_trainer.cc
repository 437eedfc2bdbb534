#include "trainer/gradient_boosting_trainer.h"

#include <utility>

#include "core/status_macros.h"
#include "trainer/internal/fit_data.h"

namespace kepler::model::trainer {

absl::StatusOr<std::unique_ptr<GradientBoostingRegressorTrainer>>
GradientBoostingRegressorTrainer::FromJson(absl::string_view json) {
  ASSIGN_OR_RETURN(core::GradientBoostingParams params, core::GradientBoostingFromJson(json));
  Options options;
  options.learning_rate = params.learning_rate;
  options.n_estimators = static_cast<int>(params.trees.size());
  auto trainer = std::make_unique<GradientBoostingRegressorTrainer>(options);
  RETURN_IF_ERROR(trainer->Adopt(std::move(params)));
  return trainer;
}

absl::Status GradientBoostingRegressorTrainer::Fit(const Eigen::MatrixXd& x_scaled,
                                                   const Eigen::VectorXd& y) {
  params_.reset();
  regressor_.reset();
  RETURN_IF_ERROR(internal::CheckFitData(x_scaled, y));
  core::GradientBoostingParams params;
  params.n_features = static_cast<int32_t>(x_scaled.cols());
  params.learning_rate = options_.learning_rate;
  params.init = y.mean();
  Eigen::VectorXd raw = Eigen::VectorXd::Constant(y.size(), params.init);
  Eigen::VectorXd residual(y.size()), leaf_value;
  internal::TreeBuilder builder(x_scaled, options_.tree);
  for (int stage = 0; stage < options_.n_estimators; ++stage) {
    residual = y - raw;  // the negative gradient of the squared error
    params.trees.push_back(builder.Build(residual, &leaf_value));
    raw += options_.learning_rate * leaf_value;
  }
  return Adopt(std::move(params));
}

Eigen::VectorXd GradientBoostingRegressorTrainer::Predict(const Eigen::MatrixXd& x_scaled) const {
  return internal::PredictWith(regressor_.get(), x_scaled);
}

absl::StatusOr<std::string> GradientBoostingRegressorTrainer::SaveJson() const {
  if (!params_) return absl::FailedPreconditionError("gradient boosting trainer is not fitted");
  return core::GradientBoostingToJson(*params_);
}

absl::Status GradientBoostingRegressorTrainer::Adopt(core::GradientBoostingParams params) {
  ASSIGN_OR_RETURN(regressor_, core::MakeGradientBoostingRegressor(params));
  params_ = std::move(params);
  return absl::OkStatus();
}

namespace {

TrainerFamily GradientBoostingFamily() {
  TrainerFamily family;
  family.make = [](const TrainerContext&) -> std::unique_ptr<Trainer> {
    return std::make_unique<GradientBoostingRegressorTrainer>();
  };
  family.load = [](absl::string_view json,
                   const TrainerContext&) -> absl::StatusOr<std::unique_ptr<Trainer>> {
    ASSIGN_OR_RETURN(auto trainer, GradientBoostingRegressorTrainer::FromJson(json));
    return std::unique_ptr<Trainer>(std::move(trainer));
  };
  return family;
}

KEPLER_REGISTER_TRAINER(v1::GradientBoostingRegressorTrainer, GradientBoostingFamily());

}  // namespace
}  // namespace kepler::model::trainer
