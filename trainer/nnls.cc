#include "trainer/nnls.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "Eigen/QR"
#include "absl/strings/str_cat.h"

namespace kepler::model::trainer {
namespace {

// Least-squares solution of a[:, passive] z = b, scattered into a full-length vector.
Eigen::VectorXd SolvePassive(const Eigen::MatrixXd& a, const Eigen::VectorXd& b,
                             const std::vector<int>& passive) {
  Eigen::MatrixXd sub(a.rows(), static_cast<Eigen::Index>(passive.size()));
  for (size_t j = 0; j < passive.size(); ++j) sub.col(j) = a.col(passive[j]);
  const Eigen::VectorXd z = sub.colPivHouseholderQr().solve(b);
  Eigen::VectorXd s = Eigen::VectorXd::Zero(a.cols());
  for (size_t j = 0; j < passive.size(); ++j) s[passive[j]] = z[j];
  return s;
}

// Moves x towards s until the first passive coordinate reaches 0, then drops every passive
// coordinate at (or numerically below) 0 back into the active set.
void StepBack(const Eigen::VectorXd& s, double tol, Eigen::VectorXd* x, std::vector<int>* passive) {
  double alpha = std::numeric_limits<double>::infinity();
  for (int j : *passive) {
    if (s[j] <= tol) alpha = std::min(alpha, (*x)[j] / ((*x)[j] - s[j]));
  }
  *x += alpha * (s - *x);
  std::vector<int> kept;
  for (int j : *passive) {
    if ((*x)[j] > tol) {
      kept.push_back(j);
    } else {
      (*x)[j] = 0;
    }
  }
  *passive = std::move(kept);
}

}  // namespace

absl::StatusOr<Eigen::VectorXd> SolveNnls(const Eigen::MatrixXd& a, const Eigen::VectorXd& b,
                                          const NnlsOptions& options) {
  if (a.rows() != b.size()) {
    return absl::InvalidArgumentError(absl::StrCat("nnls: ", a.rows(), " rows, ", b.size(),
                                                   " right-hand sides"));
  }
  if (!a.allFinite() || !b.allFinite()) return absl::InvalidArgumentError("nnls: non-finite input");
  const int n = static_cast<int>(a.cols());
  const int max_iterations = options.max_iterations > 0 ? options.max_iterations : 3 * n;
  // SciPy's tolerance: 10 * eps * ||A||_1 * max(m, n).
  const double tol = 10 * std::numeric_limits<double>::epsilon() *
                     a.cwiseAbs().colwise().sum().maxCoeff() *
                     std::max<double>(a.rows(), a.cols());
  Eigen::VectorXd x = Eigen::VectorXd::Zero(n);
  std::vector<int> passive;
  std::vector<bool> in_passive(n, false);
  for (int iteration = 0;; ++iteration) {
    const Eigen::VectorXd w = a.transpose() * (b - a * x);
    int best = -1;
    for (int j = 0; j < n; ++j) {
      if (!in_passive[j] && w[j] > tol && (best < 0 || w[j] > w[best])) best = j;
    }
    if (best < 0) return x;
    if (iteration >= max_iterations) {
      return absl::ResourceExhaustedError(
          absl::StrCat("nnls: no convergence in ", max_iterations, " iterations"));
    }
    passive.push_back(best);
    Eigen::VectorXd s = SolvePassive(a, b, passive);
    // Inner loop: at most one coordinate leaves per step, so it ends within n steps.
    for (int inner = 0; inner <= n && s(passive).minCoeff() <= tol; ++inner) {
      StepBack(s, tol, &x, &passive);
      if (passive.empty()) break;
      s = SolvePassive(a, b, passive);
    }
    if (!passive.empty()) x = s;
    std::fill(in_passive.begin(), in_passive.end(), false);
    for (int j : passive) in_passive[j] = true;
  }
}

}  // namespace kepler::model::trainer
