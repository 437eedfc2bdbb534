// Input checks and conversions shared by the tree, neighbour, SVR and xgboost trainer families.
//
// What: CheckFitData validates a Fit's arguments as trainer.h promises (InvalidArgument for a shape
// mismatch, no rows, no columns or a non-finite value); ToRowMajor lays out a matrix the way
// core::Regressor and the C libraries read it; PredictWith evaluates a core::Regressor on an
// Eigen matrix (NaN everywhere when there is none, i.e. before a fit).
// Why: every family starts and ends the same way; one implementation keeps the messages equal.
//
// Thread-safety: stateless functions.
#ifndef KEPLER_TRAINER_INTERNAL_FIT_DATA_H_
#define KEPLER_TRAINER_INTERNAL_FIT_DATA_H_

#include <vector>

#include "Eigen/Core"
#include "absl/status/status.h"
#include "core/regressor_model.h"

namespace kepler::model::trainer::internal {

// OK when `x` has at least one row and one column, `y` one value per row, all finite.
absl::Status CheckFitData(const Eigen::MatrixXd& x, const Eigen::VectorXd& y);

// `x` row by row: out[r * cols + c] = x(r, c).
std::vector<double> ToRowMajor(const Eigen::MatrixXd& x);

// `regressor`'s raw predictions for every row of `x`. NaN for every row when `regressor` is null
// or its input count differs from x.cols().
Eigen::VectorXd PredictWith(const core::Regressor* regressor, const Eigen::MatrixXd& x);

}  // namespace kepler::model::trainer::internal

#endif  // KEPLER_TRAINER_INTERNAL_FIT_DATA_H_
