// Generated regression data with known structure, for the trainer families' tests, benchmark and
// parity tool (testonly).
//
// What: features drawn uniformly from [0, 1] (as MaxAbs-scaled Kepler counters are) and targets
// from one of a few watt-like functions, optionally with Gaussian noise:
//   kStep:   20 W, plus 60 W when x0 > 0.5, plus 15 W when x1 > 0.3 (axis-aligned steps);
//   kSmooth: 40 + 50*x0 + 25*sin(3*x1) + 30*x2^2 (+ 10*x3*x4 when there are 5+ features);
//   kPower:  a node's package watts: idle 35 W + 90*(1 - exp(-2.5*x0)) (CPU saturating) + 12*x1
//            + 8*x0*x2, the rest of the columns irrelevant.
// Why: the tests check accuracy against structure they know; the benchmark and the parity tool
// need the same rows on every run.
// How: MakeRegressionData(shape, rows, features, seed, noise); same arguments, same data.
//
// Thread-safety: stateless functions.
#ifndef KEPLER_TRAINER_TESTING_REGRESSION_DATA_H_
#define KEPLER_TRAINER_TESTING_REGRESSION_DATA_H_

#include <cstdint>
#include <string>

#include "Eigen/Core"

namespace kepler::model::trainer::testing {

enum class Shape { kStep, kSmooth, kPower };

struct RegressionData {
  Eigen::MatrixXd x;  // rows x features, in [0, 1]
  Eigen::VectorXd y;  // one target per row
};

// `rows` rows of `features` (>= 3) columns; noise is the Gaussian standard deviation in watts.
RegressionData MakeRegressionData(Shape shape, int rows, int features, uint64_t seed,
                                  double noise = 0.0);

// The first `rows` rows of `data`, or the rows after them.
RegressionData Head(const RegressionData& data, int rows);
RegressionData Tail(const RegressionData& data, int rows);

// Mean absolute difference of two equally long vectors.
double MeanAbsoluteError(const Eigen::VectorXd& truth, const Eigen::VectorXd& predicted);

// "step", "smooth", "power".
std::string ShapeName(Shape shape);

}  // namespace kepler::model::trainer::testing

#endif  // KEPLER_TRAINER_TESTING_REGRESSION_DATA_H_
