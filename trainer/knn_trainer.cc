#include "trainer/knn_trainer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "trainer/internal/fit_data.h"

namespace kepler::model::trainer {

absl::StatusOr<std::unique_ptr<KNeighborsRegressorTrainer>> KNeighborsRegressorTrainer::FromJson(
    absl::string_view json) {
  ASSIGN_OR_RETURN(core::KNeighborsParams params, core::KNeighborsFromJson(json));
  auto trainer = std::make_unique<KNeighborsRegressorTrainer>(Options{params.n_neighbors});
  RETURN_IF_ERROR(trainer->Adopt(std::move(params)));
  return trainer;
}

absl::Status KNeighborsRegressorTrainer::Fit(const Eigen::MatrixXd& x_scaled,
                                             const Eigen::VectorXd& y) {
  params_.reset();
  regressor_.reset();
  RETURN_IF_ERROR(internal::CheckFitData(x_scaled, y));
  if (x_scaled.rows() < options_.n_neighbors) {
    return absl::FailedPreconditionError(
        absl::StrCat("KNeighborsRegressor needs at least n_neighbors = ", options_.n_neighbors,
                     " training rows, got ", x_scaled.rows()));
  }
  core::KNeighborsParams params;
  params.n_neighbors = options_.n_neighbors;
  params.n_features = static_cast<int32_t>(x_scaled.cols());
  params.fit_x = internal::ToRowMajor(x_scaled);
  params.fit_y.assign(y.data(), y.data() + y.size());
  return Adopt(std::move(params));
}

Eigen::VectorXd KNeighborsRegressorTrainer::Predict(const Eigen::MatrixXd& x_scaled) const {
  return internal::PredictWith(regressor_.get(), x_scaled);
}

absl::StatusOr<std::string> KNeighborsRegressorTrainer::SaveJson() const {
  if (!params_) return absl::FailedPreconditionError("k-neighbours trainer is not fitted");
  return core::KNeighborsToJson(*params_);
}

absl::Status KNeighborsRegressorTrainer::Adopt(core::KNeighborsParams params) {
  ASSIGN_OR_RETURN(regressor_, core::MakeKNeighborsRegressor(params));
  params_ = std::move(params);
  return absl::OkStatus();
}

namespace {

TrainerFamily KNeighborsFamily() {
  TrainerFamily family;
  family.make = [](const TrainerContext&) -> std::unique_ptr<Trainer> {
    return std::make_unique<KNeighborsRegressorTrainer>();
  };
  family.load = [](absl::string_view json,
                   const TrainerContext&) -> absl::StatusOr<std::unique_ptr<Trainer>> {
    ASSIGN_OR_RETURN(auto trainer, KNeighborsRegressorTrainer::FromJson(json));
    return std::unique_ptr<Trainer>(std::move(trainer));
  };
  return family;
}

KEPLER_REGISTER_TRAINER(v1::KNeighborsRegressorTrainer, KNeighborsFamily());

}  // namespace
}  // namespace kepler::model::trainer
