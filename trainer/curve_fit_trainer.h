// The curve-fit trainers: LogarithmicRegressionTrainer, ExponentialRegressionTrainer and
// LogisticRegressionTrainer (contract §7.3).
//
// What: fits one curve of one scaled feature, x = X[:, context.main_feature_index] (the feature
// group's main feature, or its dram feature for the dram component, §0.2):
//   logarithmic a·ln(b·x+1)+c        start [max(y)−min(y), 1, min(y)]
//   exponential a·e^{b·x}+c          start [a0 = floor((max−min)/e), 1, min(y) − a0]
//   logistic    A/(1+e^{−k(x−x0)})+off  start [A0 = max−min, 0.5, floor(A0/std(y)), min(y)]
// (std with ddof 0, as numpy) by Levenberg-Marquardt least squares (Eigen's port of MINPACK, as
// SciPy's curve_fit(method="lm") uses; tolerances ftol = xtol = 1.49e-8, gtol 0, maxfev 30000),
// with analytic Jacobians. Like curve_fit, a fit ending for any reason other than convergence
// (MINPACK info 1-4) fails, as does a non-finite result; the reference then archives nothing,
// here the pipeline skips the trainer with Fit's message.
// All rows are used for every component: the reference's package-only row filter (§11.17) was
// meant to drop rows whose dram feature is below 0.1 but in effect drops at most row 0; dropping
// the low-activity rows would leave the idle end of the curve (its constant term) unfitted, so
// neither behaviour is copied.
// Why: Kepler evaluates these three in-process from CurveFit_Weights (§2.6).
// How: MakeTrainer(v1::LogisticRegressionTrainer, {.main_feature_index = i}). Saved files have
// "model": "CurveFit" with the curve name, the column and the parameters.
//
// Thread-safety: as trainer/trainer.h.
#ifndef KEPLER_TRAINER_CURVE_FIT_TRAINER_H_
#define KEPLER_TRAINER_CURVE_FIT_TRAINER_H_

#include <string>
#include <vector>

#include "core/weight_model.h"
#include "trainer/internal/linear_family_trainer.h"

namespace kepler::model::trainer {

class CurveFitTrainer final : public internal::LinearFamilyTrainer {
 public:
  // Evaluations of the curve allowed per fit (SciPy's maxfev as the reference passes it).
  static constexpr int kMaxFunctionEvaluations = 30000;

  CurveFitTrainer(core::CurveKind kind, const TrainerContext& context)
      : kind_(kind), feature_(context.main_feature_index) {}

  v1::TrainerName name() const override;

  // Needs at least as many rows as the curve has parameters and a main-feature column inside x.
  // InvalidArgument for constant labels with the logistic curve (its start value divides by
  // std(y)); Aborted when Levenberg-Marquardt does not converge.
  absl::Status Fit(const Eigen::MatrixXd& x_scaled, const Eigen::VectorXd& y) override;

  // CurveFit_Weights = the curve's parameters, with every feature's scale.
  absl::StatusOr<v1::ComponentWeights> WeightComponent(
      absl::string_view component, const std::vector<std::string>& features,
      const std::vector<double>& scale) const override {
    return CurveWeights(component, features, scale);
  }

  // The start values of the curve for labels y (exposed for tests).
  static absl::StatusOr<Eigen::VectorXd> StartValues(core::CurveKind kind,
                                                     const Eigen::VectorXd& y);

 private:
  const core::CurveKind kind_;
  const int feature_;
};

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_CURVE_FIT_TRAINER_H_
