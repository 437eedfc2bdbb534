// GradientBoostingRegressorTrainer: gradient-boosted regression trees (contract §7.3).
//
// What: scikit-learn's GradientBoostingRegressor(n_estimators=100, max_depth=3,
// learning_rate=0.1) with its other defaults: squared-error loss, Friedman-MSE splits, no
// subsampling, min_samples_split 2, min_samples_leaf 1. The ensemble starts at the targets' mean;
// each stage fits an exact greedy tree (internal/tree_builder.h) to the current residuals and
// adds learning_rate times it. The fitted model is core/gradient_boosting_model.h's portable JSON.
// Why: the reference's GradientBoostingRegressorTrainer, without Python; scikit-learn breaks ties
// between equally good features at random, this class by column order, so both fit equally well
// but not always to identical trees.
// How: MakeTrainer(v1::GradientBoostingRegressorTrainer, context), or construct directly with
// Options; Fit, Predict, SaveJson as trainer.h describes. LoadTrainer (or FromJson) rebuilds a
// fitted trainer from SaveJson text. Constant targets or features give single-leaf trees (the
// mean); one row is enough to fit.
//
// Thread-safety: as trainer.h: not thread-safe while fitting; const methods may run concurrently.
#ifndef KEPLER_TRAINER_GRADIENT_BOOSTING_TRAINER_H_
#define KEPLER_TRAINER_GRADIENT_BOOSTING_TRAINER_H_

#include <memory>
#include <string>

#include "Eigen/Core"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "core/gradient_boosting_model.h"
#include "core/regressor_model.h"
#include "trainer/internal/tree_builder.h"
#include "trainer/trainer.h"

namespace kepler::model::trainer {

// Hyper-parameters; the defaults are the reference's.
struct GradientBoostingOptions {
  int n_estimators = 100;      // boosting stages (trees)
  double learning_rate = 0.1;  // shrinkage of every tree
  internal::TreeOptions tree;  // max_depth 3, min_samples_split 2, min_samples_leaf 1
};

class GradientBoostingRegressorTrainer final : public Trainer {
 public:
  using Options = GradientBoostingOptions;

  explicit GradientBoostingRegressorTrainer(Options options = {}) : options_(options) {}

  // A fitted trainer from SaveJson() text; InvalidArgument when it is not a valid
  // GradientBoostingRegressor model file.
  static absl::StatusOr<std::unique_ptr<GradientBoostingRegressorTrainer>> FromJson(
      absl::string_view json);

  v1::TrainerName name() const override { return v1::GradientBoostingRegressorTrainer; }
  [[nodiscard]] absl::Status Fit(const Eigen::MatrixXd& x_scaled,
                                 const Eigen::VectorXd& y) override;
  Eigen::VectorXd Predict(const Eigen::MatrixXd& x_scaled) const override;
  [[nodiscard]] absl::StatusOr<std::string> SaveJson() const override;

  // The fitted ensemble; nullopt before a successful Fit.
  const absl::optional<core::GradientBoostingParams>& params() const { return params_; }

 private:
  // Installs `params` as the fitted model.
  absl::Status Adopt(core::GradientBoostingParams params);

  const Options options_;
  absl::optional<core::GradientBoostingParams> params_;
  std::shared_ptr<const core::Regressor> regressor_;
};

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_GRADIENT_BOOSTING_TRAINER_H_
