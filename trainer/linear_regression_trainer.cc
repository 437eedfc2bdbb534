#include "trainer/linear_regression_trainer.h"

#include <utility>

#include "trainer/nnls.h"

namespace kepler::model::trainer {

absl::Status LinearRegressionTrainer::Fit(const Eigen::MatrixXd& x_scaled,
                                          const Eigen::VectorXd& y) {
  ClearFitted();
  RETURN_IF_ERROR(internal::CheckFitInput(x_scaled, y, /*min_rows=*/1));
  const Eigen::RowVectorXd x_mean = x_scaled.colwise().mean();
  const double y_mean = y.mean();
  const Eigen::MatrixXd centred = x_scaled.rowwise() - x_mean;
  ASSIGN_OR_RETURN(Eigen::VectorXd coef,
                   SolveNnls(centred, (y.array() - y_mean).matrix()));
  core::LinearFamilyParams params;
  params.model = core::kLinearRegressionModelName;
  params.n_features = static_cast<int>(x_scaled.cols());
  params.coef.assign(coef.data(), coef.data() + coef.size());
  params.intercept = y_mean - x_mean.dot(coef);
  return SetFitted(std::move(params));
}

KEPLER_REGISTER_TRAINER(v1::LinearRegressionTrainer,
                        internal::LinearFamilyOf<LinearRegressionTrainer>(
                            core::kLinearRegressionModelName));

}  // namespace kepler::model::trainer
