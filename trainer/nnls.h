// Non-negative least squares: argmin_x ||A x - b||_2 subject to x >= 0.
//
// What: the active-set algorithm of Lawson and Hanson (1974), the one SciPy's `optimize.nnls`
// implements and scikit-learn's LinearRegression(positive=True) calls.
// Why: LinearRegressionTrainer fits power models whose coefficients must not be negative (more
// activity never lowers the predicted watts).
// How: `SolveNnls(a, b)`. Each inner step solves the unconstrained problem on the passive set with
// a column-pivoting Householder QR of A's passive columns, so A is never squared into AᵀA.
//
// Thread-safety: pure function.
#ifndef KEPLER_TRAINER_NNLS_H_
#define KEPLER_TRAINER_NNLS_H_

#include "Eigen/Core"
#include "absl/status/statusor.h"

namespace kepler::model::trainer {

struct NnlsOptions {
  // Outer iterations (columns entering the passive set) before giving up; 0: 3 * columns, as
  // SciPy's default maxiter.
  int max_iterations = 0;
};

// The solution x (a.cols() values, all >= 0). InvalidArgument for mismatched sizes or non-finite
// input; ResourceExhausted when the iteration limit is reached (SciPy raises there too).
absl::StatusOr<Eigen::VectorXd> SolveNnls(const Eigen::MatrixXd& a, const Eigen::VectorXd& b,
                                          const NnlsOptions& options = {});

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_NNLS_H_
