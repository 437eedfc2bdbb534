// XgboostFitTrainer: gradient-boosted trees with libxgboost (contract §7.3).
//
// What: xgboost's XGBRegressor(n_estimators=100, learning_rate=0.1) with the other defaults of
// xgboost 1.7: objective reg:squarederror, max_depth 6, base_score 0.5, tree_method "auto"
// (exact greedy on one machine), seed 0. The fitted model and the component file are xgboost's
// own JSON model, as in published model databases, so core/xgboost_model.h evaluates both the
// trainer's predictions and the estimator's. WeightComponent gives the reference's
// XGboost_Weights entry (base64 of that JSON, with the features' scales).
// Why: the reference's XgboostFitTrainer, without Python; the same libxgboost that Debian's
// python3-xgboost wraps, so fits agree with the reference's.
// How: MakeTrainer(v1::XgboostFitTrainer, context) or construct with Options; Fit, Predict,
// SaveJson as trainer.h describes. Continuing from a checkpoint: LoadTrainer (or FromJson) the
// checkpoint's JSON, then Fit: every Fit of such a trainer starts from the checkpoint's trees and
// adds n_estimators more (as the reference does when its checkpoint is fitted). A fresh trainer's
// Fit starts from nothing. Whether to resume is the caller's choice; contract §11.20 lists
// cumulative retraining as a defect of the reference's pipeline.
//
// Thread-safety: as trainer.h: not thread-safe while fitting; const methods may run concurrently.
// Fitting uses Options::threads threads (default 1: the pipeline already fits many trainers at
// once).
#ifndef KEPLER_TRAINER_XGBOOST_TRAINER_H_
#define KEPLER_TRAINER_XGBOOST_TRAINER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "Eigen/Core"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/regressor_model.h"
#include "trainer/trainer.h"

namespace kepler::model::trainer {

// Hyper-parameters; the defaults are the reference's (xgboost 1.7's defaults otherwise).
struct XgboostOptions {
  int n_estimators = 100;      // boosting rounds added by each Fit
  double learning_rate = 0.1;  // eta
  int max_depth = 6;
  int threads = 1;             // xgboost's nthread; 0: all cores
  uint64_t seed = 0;           // xgboost's seed (exact trees do not sample; kept for parity)
};

class XgboostFitTrainer final : public Trainer {
 public:
  using Options = XgboostOptions;

  explicit XgboostFitTrainer(Options options = {}) : options_(options) {}

  // A fitted trainer from an xgboost JSON model (SaveJson() text or a checkpoint); later Fits
  // continue from it. InvalidArgument when libxgboost cannot load it.
  static absl::StatusOr<std::unique_ptr<XgboostFitTrainer>> FromJson(absl::string_view json,
                                                                     Options options = {});

  v1::TrainerName name() const override { return v1::XgboostFitTrainer; }
  // InvalidArgument also when a checkpoint reads a different number of features than x_scaled
  // has; Internal when libxgboost fails otherwise.
  [[nodiscard]] absl::Status Fit(const Eigen::MatrixXd& x_scaled,
                                 const Eigen::VectorXd& y) override;
  Eigen::VectorXd Predict(const Eigen::MatrixXd& x_scaled) const override;
  [[nodiscard]] absl::StatusOr<std::string> SaveJson() const override;
  [[nodiscard]] absl::StatusOr<v1::ComponentWeights> WeightComponent(
      absl::string_view component, const std::vector<std::string>& features,
      const std::vector<double>& scale) const override;

  // Boosting rounds (trees) of the fitted model; 0 before a fit.
  int rounds() const { return rounds_; }

 private:
  // Installs the xgboost JSON `model` as the fitted model.
  // `rounds`: the model's boosting rounds when known (after Fit), else read from the model.
  absl::Status Adopt(std::string model, std::optional<int> rounds = std::nullopt);

  const Options options_;
  std::string checkpoint_;  // xgboost JSON every Fit starts from; empty: none
  std::string model_;       // fitted model, xgboost JSON; empty before a fit
  int rounds_ = 0;
  std::shared_ptr<const core::Regressor> regressor_;
};

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_XGBOOST_TRAINER_H_
