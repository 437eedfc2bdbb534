// LinearRegressionTrainer: least squares with non-negative coefficients plus an intercept
// (contract §7.3: scikit-learn's LinearRegression(positive=True)).
//
// What: centres X and y on their means, solves NNLS (trainer/nnls.h) for the coefficients on
// the centred data, and sets intercept = mean(y) - mean(X)·coef, exactly as scikit-learn does
// (its intercept is therefore unconstrained in sign).
// Why: the reference's default "linear" family; its coefficients are also written as a linear
// weight document (on disk only: the server never serves this trainer's weights, §2.6).
// How: through the framework: MakeTrainer(v1::LinearRegressionTrainer, context). Saved files have
// "model": "LinearRegression" (docs/model-format.md).
//
// Thread-safety: as trainer/trainer.h.
#ifndef KEPLER_TRAINER_LINEAR_REGRESSION_TRAINER_H_
#define KEPLER_TRAINER_LINEAR_REGRESSION_TRAINER_H_

#include <string>
#include <vector>

#include "trainer/internal/linear_family_trainer.h"

namespace kepler::model::trainer {

class LinearRegressionTrainer final : public internal::LinearFamilyTrainer {
 public:
  explicit LinearRegressionTrainer(const TrainerContext& /*context*/) {}

  v1::TrainerName name() const override { return v1::LinearRegressionTrainer; }

  // Needs at least one row. Fails only for bad input or (never in practice) NNLS not converging.
  absl::Status Fit(const Eigen::MatrixXd& x_scaled, const Eigen::VectorXd& y) override;

  // Bias_Weight = intercept, weight = coefficient of each scaled feature.
  absl::StatusOr<v1::ComponentWeights> WeightComponent(
      absl::string_view component, const std::vector<std::string>& features,
      const std::vector<double>& scale) const override {
    return LinearWeights(component, features, scale);
  }
};

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_LINEAR_REGRESSION_TRAINER_H_
