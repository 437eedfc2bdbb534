// KNeighborsRegressorTrainer: k-nearest-neighbours regression (contract §7.3).
//
// What: scikit-learn's KNeighborsRegressor(n_neighbors=6) with its defaults: uniform weights,
// Euclidean distance. Fitting stores the training rows; a prediction is the mean target of the
// 6 nearest of them, found with a KD-tree (nanoflann, through core/knn_model.h, which is also what
// the estimator evaluates). The model file is core/knn_model.h's portable JSON, holding the
// training points.
// Why: the reference's KNeighborsRegressorTrainer, without Python. The reference only fails when
// it evaluates its test split (fewer than 6 training rows); this trainer refuses at Fit with
// FailedPrecondition, so the pipeline skips the family with that reason.
// How: MakeTrainer(v1::KNeighborsRegressorTrainer, context) or construct with Options; then
// Fit, Predict, SaveJson as trainer.h describes; LoadTrainer (or FromJson) rebuilds a fitted one.
// Ties between equally distant training points are broken by the KD-tree's search order (they are
// arbitrary in scikit-learn too).
//
// Thread-safety: as trainer.h: not thread-safe while fitting; const methods may run concurrently.
#ifndef KEPLER_TRAINER_KNN_TRAINER_H_
#define KEPLER_TRAINER_KNN_TRAINER_H_

#include <memory>
#include <string>

#include "Eigen/Core"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "core/knn_model.h"
#include "core/regressor_model.h"
#include "trainer/trainer.h"

namespace kepler::model::trainer {

// Hyper-parameters; the default is the reference's.
struct KNeighborsOptions {
  int n_neighbors = 6;  // k
};

class KNeighborsRegressorTrainer final : public Trainer {
 public:
  using Options = KNeighborsOptions;

  explicit KNeighborsRegressorTrainer(Options options = {}) : options_(options) {}

  // A fitted trainer from SaveJson() text; InvalidArgument when it is not a valid
  // KNeighborsRegressor model file.
  static absl::StatusOr<std::unique_ptr<KNeighborsRegressorTrainer>> FromJson(
      absl::string_view json);

  v1::TrainerName name() const override { return v1::KNeighborsRegressorTrainer; }
  // FailedPrecondition when x_scaled has fewer rows than n_neighbors.
  [[nodiscard]] absl::Status Fit(const Eigen::MatrixXd& x_scaled,
                                 const Eigen::VectorXd& y) override;
  Eigen::VectorXd Predict(const Eigen::MatrixXd& x_scaled) const override;
  [[nodiscard]] absl::StatusOr<std::string> SaveJson() const override;

  // The fitted points; nullopt before a successful Fit.
  const absl::optional<core::KNeighborsParams>& params() const { return params_; }

 private:
  // Installs `params` as the fitted model (builds the KD-tree).
  absl::Status Adopt(core::KNeighborsParams params);

  const Options options_;
  absl::optional<core::KNeighborsParams> params_;
  std::shared_ptr<const core::Regressor> regressor_;
};

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_KNN_TRAINER_H_
