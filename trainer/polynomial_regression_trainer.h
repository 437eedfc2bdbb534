// PolynomialRegressionTrainer: degree-2 polynomial features, then ordinary least squares with an
// intercept (contract §7.3: PolynomialFeatures(degree=2) then LinearRegression()).
//
// What: expands each row into scikit-learn's PolynomialFeatures(2, include_bias=True) terms
// (core/regression_math.h), centres the terms and y, and takes the minimum-norm least-squares
// solution (complete orthogonal decomposition, as LAPACK's gelsd in scikit-learn gives the
// minimum-norm one); intercept = mean(y) − mean(terms)·coef. The bias term is constant, so its
// centred column is 0 and its coefficient 0, as in scikit-learn.
// Why: one of the reference's no-weight families (coefficients do not map to features, so no
// weight document, §2.6).
// How: MakeTrainer(v1::PolynomialRegressionTrainer, context). Saved files have "model":
// "PolynomialRegression" and carry the degree, replacing the reference's poly_scaler.pkl.
//
// Thread-safety: as trainer/trainer.h.
#ifndef KEPLER_TRAINER_POLYNOMIAL_REGRESSION_TRAINER_H_
#define KEPLER_TRAINER_POLYNOMIAL_REGRESSION_TRAINER_H_

#include "trainer/internal/linear_family_trainer.h"

namespace kepler::model::trainer {

class PolynomialRegressionTrainer final : public internal::LinearFamilyTrainer {
 public:
  // Degree of the reference's PolynomialFeatures.
  static constexpr int kDegree = 2;

  explicit PolynomialRegressionTrainer(const TrainerContext& /*context*/) {}

  v1::TrainerName name() const override { return v1::PolynomialRegressionTrainer; }

  // Needs at least one row; at most 64 feature columns.
  absl::Status Fit(const Eigen::MatrixXd& x_scaled, const Eigen::VectorXd& y) override;
};

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_POLYNOMIAL_REGRESSION_TRAINER_H_
