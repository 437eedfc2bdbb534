#include "trainer/sgd_regressor_trainer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"

namespace kepler::model::trainer {
namespace {

constexpr double kMaxDloss = 1e12;  // scikit-learn's MAX_DLOSS

// Fisher-Yates with rejection sampling: the order depends only on the seed, not on the
// standard library's distributions.
void Shuffle(std::mt19937_64& rng, std::vector<int>* order) {
  for (size_t i = order->size(); i > 1; --i) {
    const uint64_t bound = i;
    const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t draw;
    do {
      draw = rng();
    } while (draw >= limit);
    std::swap((*order)[i - 1], (*order)[draw % bound]);
  }
}

// State of one descent: weights, intercept and the sample counter t.
struct Descent {
  Eigen::VectorXd w;
  double b = 0;
  double t = 1;
};

// One epoch over `order`; returns the summed loss of the predictions made before each update.
double Epoch(const SgdOptions& o, const Eigen::MatrixXd& xt, const Eigen::VectorXd& y,
             const std::vector<int>& order, Descent* d) {
  double sumloss = 0;
  for (int i : order) {
    const auto x = xt.col(i);  // xt is features x rows: one contiguous sample
    const double p = d->w.dot(x) + d->b;
    const double eta = o.eta0 / std::pow(d->t, o.power_t);
    const double dloss = std::clamp(p - y[i], -kMaxDloss, kMaxDloss);
    sumloss += 0.5 * (p - y[i]) * (p - y[i]);
    const double update = -eta * dloss;
    d->w *= std::max(0.0, 1.0 - eta * o.alpha);
    if (update != 0.0) {
      d->w += update * x;
      d->b += update;
    }
    d->t += 1;
  }
  return sumloss;
}

}  // namespace

absl::Status SGDRegressorTrainer::Fit(const Eigen::MatrixXd& x_scaled, const Eigen::VectorXd& y) {
  ClearFitted();
  epochs_ = 0;
  RETURN_IF_ERROR(internal::CheckFitInput(x_scaled, y, /*min_rows=*/1));
  const Eigen::MatrixXd xt = x_scaled.transpose();
  const int rows = static_cast<int>(x_scaled.rows());
  std::vector<int> order(rows);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed_);
  Descent d{Eigen::VectorXd::Zero(x_scaled.cols()), 0, 1};
  double best_loss = std::numeric_limits<double>::infinity();
  int no_improvement = 0;
  while (epochs_ < options_.max_iter) {
    Shuffle(rng, &order);
    const double sumloss = Epoch(options_, xt, y, order, &d);
    ++epochs_;
    no_improvement = sumloss > best_loss - options_.tol * rows ? no_improvement + 1 : 0;
    best_loss = std::min(best_loss, sumloss);
    if (!std::isfinite(d.b) || !d.w.allFinite()) {
      return absl::AbortedError(absl::StrCat(
          "SGD diverged to non-finite weights in epoch ", epochs_, "; scale the input"));
    }
    if (no_improvement >= options_.n_iter_no_change) break;
  }
  core::LinearFamilyParams params;
  params.model = core::kSgdRegressorModelName;
  params.n_features = static_cast<int>(x_scaled.cols());
  params.coef.assign(d.w.data(), d.w.data() + d.w.size());
  params.intercept = d.b;
  return SetFitted(std::move(params));
}

KEPLER_REGISTER_TRAINER(v1::SGDRegressorTrainer,
                        internal::LinearFamilyOf<SGDRegressorTrainer>(
                            core::kSgdRegressorModelName));

}  // namespace kepler::model::trainer
