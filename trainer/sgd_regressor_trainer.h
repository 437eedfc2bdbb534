// SGDRegressorTrainer: a linear model fitted by plain stochastic gradient descent with
// scikit-learn's SGDRegressor semantics (contract §7.3: SGDRegressor(max_iter=1000), defaults
// otherwise).
//
// What: squared loss 0.5·(p−y)², L2 penalty alpha = 1e-4, learning rate "invscaling"
// eta_t = eta0 / t^power_t (eta0 0.01, power_t 0.25, t counting samples from 1), intercept
// updated with the same step, rows visited in a fresh shuffled order every epoch, weights and
// intercept starting at 0. Per sample: p = w·x + b; w ← w·(1 − eta·alpha) − eta·(p−y)·x;
// b ← b − eta·(p−y) (the gradient clipped to ±1e12 as scikit-learn does). After each epoch the
// summed loss (taken before each sample's update) must improve on the best so far by
// tol·rows (tol 1e-3), else a strike; 5 strikes in a row (n_iter_no_change) or max_iter 1000
// epochs stop it. No averaging, no early-stopping validation split.
// Why: the reference's served linear family; its weights become the linear weight document
// Kepler evaluates in-process (§2.6).
// How: MakeTrainer(v1::SGDRegressorTrainer, {.seed = s}); the shuffle uses the context seed
// (scikit-learn's RNG is not reproduced, so individual fits differ from scikit-learn's but
// follow the same schedule). Saved files have "model": "SGDRegressor".
//
// Thread-safety: as trainer/trainer.h.
#ifndef KEPLER_TRAINER_SGD_REGRESSOR_TRAINER_H_
#define KEPLER_TRAINER_SGD_REGRESSOR_TRAINER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "trainer/internal/linear_family_trainer.h"

namespace kepler::model::trainer {

// SGDRegressor's hyper-parameters; the defaults are the reference's.
struct SgdOptions {
  double alpha = 1e-4;
  double eta0 = 0.01;
  double power_t = 0.25;
  int max_iter = 1000;
  double tol = 1e-3;
  int n_iter_no_change = 5;
};

class SGDRegressorTrainer final : public internal::LinearFamilyTrainer {
 public:
  explicit SGDRegressorTrainer(const TrainerContext& context, SgdOptions options = {})
      : seed_(context.seed), options_(options) {}

  v1::TrainerName name() const override { return v1::SGDRegressorTrainer; }

  // Needs at least one row. Aborted when the weights overflow to non-finite values.
  absl::Status Fit(const Eigen::MatrixXd& x_scaled, const Eigen::VectorXd& y) override;

  // Bias_Weight = intercept, weight = coefficient of each scaled feature.
  absl::StatusOr<v1::ComponentWeights> WeightComponent(
      absl::string_view component, const std::vector<std::string>& features,
      const std::vector<double>& scale) const override {
    return LinearWeights(component, features, scale);
  }

  // Epochs the last Fit ran (scikit-learn's n_iter_); 0 before a fit.
  int epochs() const { return epochs_; }

 private:
  const uint64_t seed_;
  const SgdOptions options_;
  int epochs_ = 0;
};

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_SGD_REGRESSOR_TRAINER_H_
