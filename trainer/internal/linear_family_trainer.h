// Shared plumbing of the trainers whose fitted model is a core::LinearFamilyParams (linear, SGD,
// polynomial, curve fits): prediction through core's Regressor, SaveJson/LoadJson, input checks
// and the legacy weight components.
//
// Why: the estimator evaluates the saved component file with core/linear_model.h; predicting
// through the very same Regressor makes the trainer's metrics and the served model agree to the
// bit, and keeps each family's class down to its fitting algorithm.
// Thread-safety: as trainer/trainer.h (not thread-safe while fitting or loading).
#ifndef KEPLER_TRAINER_INTERNAL_LINEAR_FAMILY_TRAINER_H_
#define KEPLER_TRAINER_INTERNAL_LINEAR_FAMILY_TRAINER_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "core/linear_model.h"
#include "core/status_macros.h"
#include "trainer/trainer.h"

namespace kepler::model::trainer::internal {

// InvalidArgument unless x has rows == y.size() >= min_rows, at least one column, and all values
// are finite.
absl::Status CheckFitInput(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, int min_rows);

class LinearFamilyTrainer : public Trainer {
 public:
  Eigen::VectorXd Predict(const Eigen::MatrixXd& x_scaled) const override;
  absl::StatusOr<std::string> SaveJson() const override;

  // Replaces the fit with the component file `json`, which must be of model `expected_model`.
  // InvalidArgument otherwise.
  absl::Status LoadJson(absl::string_view json, absl::string_view expected_model);

  // The fitted parameters; nullopt before Fit/LoadJson.
  const absl::optional<core::LinearFamilyParams>& fitted() const { return params_; }

 protected:
  LinearFamilyTrainer() = default;

  // Installs a fit (validated); on error the trainer is left unfitted.
  absl::Status SetFitted(core::LinearFamilyParams params);
  // Forgets the fit (Fit calls it first, so a failed refit leaves no stale model).
  void ClearFitted();

  // Weight component with Bias_Weight = intercept and weight_f = coef_f (linear models).
  absl::StatusOr<v1::ComponentWeights> LinearWeights(absl::string_view component,
                                                     const std::vector<std::string>& features,
                                                     const std::vector<double>& scale) const;
  // Weight component with CurveFit_Weights = params and every feature's scale (curve fits).
  absl::StatusOr<v1::ComponentWeights> CurveWeights(absl::string_view component,
                                                    const std::vector<std::string>& features,
                                                    const std::vector<double>& scale) const;

 private:
  absl::optional<core::LinearFamilyParams> params_;
  std::shared_ptr<const core::Regressor> regressor_;
};

// The TrainerFamily of a LinearFamilyTrainer subclass T constructible from a TrainerContext,
// whose saved files have "model": `model`.
template <typename T>
TrainerFamily LinearFamilyOf(std::string model) {
  TrainerFamily family;
  family.make = [](const TrainerContext& context) -> std::unique_ptr<Trainer> {
    return std::make_unique<T>(context);
  };
  family.load = [model](absl::string_view json, const TrainerContext& context)
      -> absl::StatusOr<std::unique_ptr<Trainer>> {
    auto trainer = std::make_unique<T>(context);
    RETURN_IF_ERROR(trainer->LoadJson(json, model));
    return std::unique_ptr<Trainer>(std::move(trainer));
  };
  return family;
}

}  // namespace kepler::model::trainer::internal

#endif  // KEPLER_TRAINER_INTERNAL_LINEAR_FAMILY_TRAINER_H_
