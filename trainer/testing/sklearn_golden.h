// A small data set and scikit-learn 1.2.1's (and xgboost 1.7.4's) answers on it, for the trainer
// families' tests.
//
// What: 40 training rows of 3 features on a 1/64 grid (exactly representable in float32, which
// scikit-learn's trees convert to), targets 20 + 30*x0 + 10*sin(4*x1) + 15*[x2 > 0.5], and 8
// query rows; the predictions of GradientBoostingRegressor(n_estimators=100, max_depth=3,
// learning_rate=0.1, random_state=0) and SVR(C=1.0, epsilon=0.2) fitted on them, printed by
// tools/parity/tree_parity.py --golden (which reprints them).
// Why: pins the C++ families to the reference library's numbers, not only to "fits well".
//
// Thread-safety: constants and pure functions.
#ifndef KEPLER_TRAINER_TESTING_SKLEARN_GOLDEN_H_
#define KEPLER_TRAINER_TESTING_SKLEARN_GOLDEN_H_

#include <cmath>

#include "Eigen/Core"

namespace kepler::model::trainer::testing {

// Row i: ((i*5+1)%64, (i*11+3)%64, (i*23+7)%64) / 64.
inline Eigen::MatrixXd GoldenX() {
  Eigen::MatrixXd x(40, 3);
  for (int i = 0; i < 40; ++i) {
    x(i, 0) = ((i * 5 + 1) % 64) / 64.0;
    x(i, 1) = ((i * 11 + 3) % 64) / 64.0;
    x(i, 2) = ((i * 23 + 7) % 64) / 64.0;
  }
  return x;
}

inline Eigen::VectorXd GoldenY() {
  const Eigen::MatrixXd x = GoldenX();
  Eigen::VectorXd y(40);
  for (int i = 0; i < 40; ++i) {
    y(i) = 20 + 30 * x(i, 0) + 10 * std::sin(4 * x(i, 1)) + (x(i, 2) > 0.5 ? 15 : 0);
  }
  return y;
}

// Row i: ((i*13+5)%64, (i*29+1)%64, (i*3+2)%64) / 64.
inline Eigen::MatrixXd GoldenQuery() {
  Eigen::MatrixXd q(8, 3);
  for (int i = 0; i < 8; ++i) {
    q(i, 0) = ((i * 13 + 5) % 64) / 64.0;
    q(i, 1) = ((i * 29 + 1) % 64) / 64.0;
    q(i, 2) = ((i * 3 + 2) % 64) / 64.0;
  }
  return q;
}

// GradientBoostingRegressor's predictions on the 40 training rows. They do not depend on
// random_state; predictions between the rows do (scikit-learn breaks ties between features
// that split a node's rows identically at random), so those are not pinned.
inline Eigen::VectorXd GoldenGradientBoostingTrain() {
  Eigen::VectorXd y(40);
  y << 22.34896171577977, 30.478608625166835, 49.92406275412606, 35.009559362249675,
      46.65124274639783, 42.46357900418132, 37.75059006815378, 60.02938613171757,
      64.0414482543501, 48.44732021782939, 59.715554048300106, 40.6035058550143,
      52.86801468070967, 45.03252408448825, 32.98938522064534, 31.688492762274432,
      42.54153981472434, 23.697681336461287, 53.01512732206839, 59.59133497656905,
      46.83856973628547, 59.678952560988854, 40.354703060947834, 44.45442004156878,
      67.91843042086397, 58.90476238874497, 30.319950776378732, 42.6620851737645,
      23.292240508810476, 44.6804240345146, 53.17573165637448, 43.0410879408091,
      58.77430027443444, 55.55725918126156, 36.064624232379195, 59.93427381886997,
      52.71759916275539, 57.16797340914118, 71.85565968606137, 23.285700486914102;
  return y;
}

// SVR: gamma 3.9350688028590732, intercept 45.55874352, 40 support vectors.
inline Eigen::VectorXd GoldenSvr() {
  Eigen::VectorXd y(8);
  y << 42.5956644458188, 41.02195688206267, 41.869673135724554, 47.12270177931823,
      45.54186700570094, 40.87945664971192, 41.30705634486625, 46.43410460957376;
  return y;
}

// xgboost 1.7.4 XGBRegressor(n_estimators=100, learning_rate=0.1) on the query rows (float32).
inline Eigen::VectorXd GoldenXgboost() {
  Eigen::VectorXd y(8);
  y << 24.577186584472656, 28.976289749145508, 33.17802429199219, 50.11209487915039,
      46.20112228393555, 30.334121704101562, 32.04836654663086, 47.361812591552734;
  return y;
}

}  // namespace kepler::model::trainer::testing

#endif  // KEPLER_TRAINER_TESTING_SKLEARN_GOLDEN_H_
