#include "trainer/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "absl/strings/str_format.h"

namespace kepler::model::trainer {

double Round2(double value) {
  if (!std::isfinite(value)) return value;
  // printf rounds the exact binary value to the nearest decimal, ties to even, as Python's
  // round() does; std::round(value * 100) / 100 would round the already-rounded product.
  const std::string text = absl::StrFormat("%.2f", value);
  return std::strtod(text.c_str(), nullptr);
}

ErrorMetrics ComponentError(const Eigen::VectorXd& y_true, const Eigen::VectorXd& y_pred) {
  ErrorMetrics out;
  if (y_true.size() == 0) return out;
  const Eigen::ArrayXd abs_error = (y_true - y_pred).array().abs();
  out.mae = Round2(abs_error.mean());
  double sum = 0;
  int count = 0;
  for (Eigen::Index i = 0; i < y_true.size(); ++i) {
    if (y_true[i] > 0) {
      sum += abs_error[i] / y_true[i] * 100.0;
      ++count;
    }
  }
  if (count > 0) out.mape = Round2(sum / count);
  return out;
}

ErrorMetrics ModelError(const std::vector<ErrorMetrics>& components) {
  ErrorMetrics out;
  for (size_t i = 0; i < components.size(); ++i) {
    out.mae = i == 0 ? components[i].mae : std::max(out.mae, components[i].mae);
    out.mape = std::max(out.mape, components[i].mape);
  }
  return out;
}

}  // namespace kepler::model::trainer
