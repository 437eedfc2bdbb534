#include "trainer/internal/fit_data.h"

#include <limits>

#include "absl/strings/str_cat.h"

namespace kepler::model::trainer::internal {

absl::Status CheckFitData(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  if (x.rows() != y.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("training data has ", x.rows(), " rows but ", y.size(), " targets"));
  }
  if (x.rows() == 0) return absl::InvalidArgumentError("training data has no rows");
  if (x.cols() == 0) return absl::InvalidArgumentError("training data has no feature columns");
  if (!x.allFinite()) return absl::InvalidArgumentError("training features are not all finite");
  if (!y.allFinite()) return absl::InvalidArgumentError("training targets are not all finite");
  return absl::OkStatus();
}

std::vector<double> ToRowMajor(const Eigen::MatrixXd& x) {
  std::vector<double> out(static_cast<size_t>(x.size()));
  Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      out.data(), x.rows(), x.cols()) = x;
  return out;
}

Eigen::VectorXd PredictWith(const core::Regressor* regressor, const Eigen::MatrixXd& x) {
  Eigen::VectorXd y(x.rows());
  if (regressor == nullptr || regressor->num_features() != static_cast<size_t>(x.cols())) {
    y.setConstant(std::numeric_limits<double>::quiet_NaN());
    return y;
  }
  const std::vector<double> rows = ToRowMajor(x);
  regressor->Predict(rows.data(), static_cast<size_t>(x.rows()), y.data());
  return y;
}

}  // namespace kepler::model::trainer::internal
