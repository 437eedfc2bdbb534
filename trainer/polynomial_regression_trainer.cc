#include "trainer/polynomial_regression_trainer.h"

#include <utility>
#include <vector>

#include "Eigen/QR"
#include "absl/strings/str_cat.h"
#include "core/regression_math.h"

namespace kepler::model::trainer {
namespace {

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The polynomial terms of every row of `x`, one column per term.
Eigen::MatrixXd Expand(const Eigen::MatrixXd& x, const std::vector<std::vector<int>>& terms) {
  const RowMajor rows = x;
  const std::vector<double> poly =
      core::ExpandPolynomial(rows.data(), rows.rows(), rows.cols(), terms);
  return Eigen::Map<const RowMajor>(poly.data(), rows.rows(), terms.size());
}

}  // namespace

absl::Status PolynomialRegressionTrainer::Fit(const Eigen::MatrixXd& x_scaled,
                                              const Eigen::VectorXd& y) {
  ClearFitted();
  RETURN_IF_ERROR(internal::CheckFitInput(x_scaled, y, /*min_rows=*/1));
  if (x_scaled.cols() > 64) {
    return absl::InvalidArgumentError(
        absl::StrCat(x_scaled.cols(), " features are too many for polynomial regression"));
  }
  const auto terms = core::PolynomialTerms(static_cast<int>(x_scaled.cols()), kDegree);
  const Eigen::MatrixXd poly = Expand(x_scaled, terms);
  const Eigen::RowVectorXd poly_mean = poly.colwise().mean();
  const double y_mean = y.mean();
  const Eigen::MatrixXd centred = poly.rowwise() - poly_mean;
  const Eigen::VectorXd coef =
      centred.completeOrthogonalDecomposition().solve((y.array() - y_mean).matrix());
  if (!coef.allFinite()) return absl::InternalError("least squares gave non-finite coefficients");
  core::LinearFamilyParams params;
  params.model = core::kPolynomialRegressionModelName;
  params.n_features = static_cast<int>(x_scaled.cols());
  params.degree = kDegree;
  params.coef.assign(coef.data(), coef.data() + coef.size());
  params.intercept = y_mean - poly_mean.dot(coef);
  return SetFitted(std::move(params));
}

KEPLER_REGISTER_TRAINER(v1::PolynomialRegressionTrainer,
                        internal::LinearFamilyOf<PolynomialRegressionTrainer>(
                            core::kPolynomialRegressionModelName));

}  // namespace kepler::model::trainer
