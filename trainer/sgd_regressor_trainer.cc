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
// standard library's distributions. `limits[i]` is the rejection limit of bound i,
// UINT64_MAX - UINT64_MAX % i, the same every epoch (RejectionLimits).
void Shuffle(std::mt19937_64& rng, const std::vector<uint64_t>& limits, std::vector<int>* order) {
  for (size_t i = order->size(); i > 1; --i) {
    const uint64_t bound = i;
    uint64_t draw;
    do {
      draw = rng();
    } while (draw >= limits[i]);
    std::swap((*order)[i - 1], (*order)[draw % bound]);
  }
}

std::vector<uint64_t> RejectionLimits(size_t rows) {
  std::vector<uint64_t> limits(rows + 1, UINT64_MAX);
  for (size_t i = 2; i <= rows; ++i) limits[i] = UINT64_MAX - UINT64_MAX % i;
  return limits;
}

// t^power_t. For scikit-learn's default 0.25, sqrt(sqrt(t)): both roots are correctly rounded,
// so it is within one ulp of std::pow at a fraction of its cost (it runs once per sample).
double Power(double t, double power_t) {
  return power_t == 0.25 ? std::sqrt(std::sqrt(t)) : std::pow(t, power_t);
}

// State of one descent: weights, intercept and the sample counter t.
struct Descent {
  std::vector<double> w;
  double b = 0;
  double t = 1;
};

// One epoch over `order`; returns the summed loss of the predictions made before each update.
// `xt` is features x rows, so a sample is contiguous. Plain loops: the weight vectors are a few
// entries long, where Eigen's dynamic-size expressions cost more than the arithmetic.
double Epoch(const SgdOptions& o, const Eigen::MatrixXd& xt, const Eigen::VectorXd& y,
             const std::vector<int>& order, Descent* d) {
  const size_t n = d->w.size();
  double* w = d->w.data();
  double sumloss = 0;
  for (int i : order) {
    const double* x = xt.data() + static_cast<size_t>(i) * n;
    double p = 0;
    for (size_t f = 0; f < n; ++f) p += w[f] * x[f];
    p += d->b;
    const double eta = o.eta0 / Power(d->t, o.power_t);
    const double dloss = std::clamp(p - y[i], -kMaxDloss, kMaxDloss);
    sumloss += 0.5 * (p - y[i]) * (p - y[i]);
    const double update = -eta * dloss;
    const double decay = std::max(0.0, 1.0 - eta * o.alpha);
    if (update != 0.0) {
      for (size_t f = 0; f < n; ++f) w[f] = w[f] * decay + update * x[f];
      d->b += update;
    } else {
      for (size_t f = 0; f < n; ++f) w[f] *= decay;
    }
    d->t += 1;
  }
  return sumloss;
}

bool AllFinite(const Descent& d) {
  if (!std::isfinite(d.b)) return false;
  for (double v : d.w) {
    if (!std::isfinite(v)) return false;
  }
  return true;
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
  const std::vector<uint64_t> limits = RejectionLimits(order.size());
  Descent d{std::vector<double>(x_scaled.cols(), 0.0), 0, 1};
  double best_loss = std::numeric_limits<double>::infinity();
  int no_improvement = 0;
  while (epochs_ < options_.max_iter) {
    Shuffle(rng, limits, &order);
    const double sumloss = Epoch(options_, xt, y, order, &d);
    ++epochs_;
    no_improvement = sumloss > best_loss - options_.tol * rows ? no_improvement + 1 : 0;
    best_loss = std::min(best_loss, sumloss);
    if (!AllFinite(d)) {
      return absl::AbortedError(absl::StrCat(
          "SGD diverged to non-finite weights in epoch ", epochs_, "; scale the input"));
    }
    if (no_improvement >= options_.n_iter_no_change) break;
  }
  core::LinearFamilyParams params;
  params.model = core::kSgdRegressorModelName;
  params.n_features = static_cast<int>(x_scaled.cols());
  params.coef = d.w;
  params.intercept = d.b;
  return SetFitted(std::move(params));
}

KEPLER_REGISTER_TRAINER(v1::SGDRegressorTrainer,
                        internal::LinearFamilyOf<SGDRegressorTrainer>(
                            core::kSgdRegressorModelName));

}  // namespace kepler::model::trainer
