// Accuracy metrics of a fitted model on its test rows (contract §7.2 step 5, §3.3).
//
// What: per component, mae = round(mean |y - ŷ|, 2) and mape = round(mean(|y - ŷ| / y * 100)
// over the rows with y > 0, 2), or -1 when no row has y > 0; predictions are not clamped. The
// model's mae and mape are the maxima over its components (the reference takes the last
// component's mape, §11.13; fixed here).
// Why: metadata.json carries these numbers and the model server selects the model with the
// lowest error, so every family must compute them the same way.
// How: `ComponentError(y_test, trainer.Predict(x_test))` per component, then `ModelError`.
// Rounding is Python's round(x, 2): to the nearest of the decimal neighbours of the exact
// binary value, ties to even.
//
// Thread-safety: pure functions.
#ifndef KEPLER_TRAINER_METRICS_H_
#define KEPLER_TRAINER_METRICS_H_

#include <vector>

#include "Eigen/Core"

namespace kepler::model::trainer {

// Errors of one component, or (from ModelError) of a whole model.
struct ErrorMetrics {
  double mae = 0;
  double mape = -1;  // -1: no test row with a positive label
};

// Metrics of predictions `y_pred` against labels `y_true` (same length). Empty input gives
// mae 0 and mape -1.
ErrorMetrics ComponentError(const Eigen::VectorXd& y_true, const Eigen::VectorXd& y_pred);

// mae and mape each the maximum over `components` (mae 0, mape -1 for none).
ErrorMetrics ModelError(const std::vector<ErrorMetrics>& components);

// Python's round(value, 2).
double Round2(double value);

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_METRICS_H_
