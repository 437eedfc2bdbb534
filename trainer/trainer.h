// The trainer framework: one small class per model family, fitted on scaled rows of one node type
// and one power component (contract reference-behaviour §7.2-7.3).
//
// What: a Trainer fits a regression y ≈ f(X) where X holds the feature columns already divided by
// the node type's MaxAbs scale (trainer/scaler.h) in the feature group's sorted order, and y is one
// component's watts. After Fit it predicts (unclamped, as the reference's metrics use), writes its
// fitted model as portable JSON (the component file of docs/model-format.md) and, for the
// weight-capable families, the component's entry of the legacy weight document Kepler evaluates.
// Why: the pipeline treats the ten families alike (fit, metrics, save, weights); each family stays a
// small class with its own test, and families are added without touching the pipeline.
// How: `MakeTrainer(name, context)` builds a fresh trainer; `LoadTrainer(name, json, context)`
// rebuilds a fitted one from its SaveJson() text. Families register themselves at static
// initialisation with KEPLER_REGISTER_TRAINER (their cc_library has `alwayslink = True`); link
// `//trainer:all_trainers` (or the family's own target) to have them available.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Trainer> t, MakeTrainer(v1::SGDRegressorTrainer, context));
//   RETURN_IF_ERROR(t->Fit(x_train, y_train));
//   Eigen::VectorXd y_hat = t->Predict(x_test);
//   ASSIGN_OR_RETURN(std::string json, t->SaveJson());
//
// Thread-safety: a Trainer is not thread-safe while fitting; after Fit, the const methods may run
// concurrently. Different trainers share nothing (the registry is read-only after start-up and
// guarded by a mutex), so the pipeline fits many at once. Fitting is deterministic for a given
// context seed and input.
#ifndef KEPLER_TRAINER_TRAINER_H_
#define KEPLER_TRAINER_TRAINER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "Eigen/Core"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kepler/model/v1/types.pb.h"

namespace kepler::model::trainer {

// What a trainer needs beyond its data. All fields have usable defaults.
struct TrainerContext {
  // Seed of every random choice a family makes (SGD's shuffling, subsampling, ...). Default 0:
  // training is deterministic unless the caller varies it.
  uint64_t seed = 0;
  // Column of X that curve-fit families read: FeatureGroups::MainFeatureIndex(group, component),
  // i.e. the dram feature for "dram", the main feature otherwise. Ignored by other families.
  int main_feature_index = 0;
};

// One family's model for one component. See the file comment.
class Trainer {
 public:
  virtual ~Trainer() = default;
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // The family, e.g. v1::SGDRegressorTrainer.
  virtual v1::TrainerName name() const = 0;

  // Fits on `x_scaled` (rows x features, already MaxAbs-scaled) and `y` (one value per row).
  // Refitting replaces the previous fit. InvalidArgument for a shape mismatch, no rows or
  // non-finite values; FailedPrecondition when the family cannot fit this data (e.g. fewer rows
  // than k neighbours); Internal/Aborted when the optimiser fails (a curve fit that does not
  // converge). The message says why, for the pipeline's "skipped" record.
  [[nodiscard]] virtual absl::Status Fit(const Eigen::MatrixXd& x_scaled,
                                         const Eigen::VectorXd& y) = 0;

  // Predictions for each row of `x_scaled` (same columns as in Fit), not clamped. Requires a
  // successful Fit or LoadTrainer; otherwise every value is NaN.
  virtual Eigen::VectorXd Predict(const Eigen::MatrixXd& x_scaled) const = 0;

  // The fitted model as one portable JSON document (docs/model-format.md): what
  // LoadTrainer(name(), json) and core's model loader read back. FailedPrecondition before a fit.
  [[nodiscard]] virtual absl::StatusOr<std::string> SaveJson() const = 0;

  // This component's entry in the legacy weight document (contract §2.6), or Unimplemented for
  // families without one (the default). `features` and `scale` are the model's feature names and
  // MaxAbs scales in column order; the entry is named `component`. Linear families set
  // Bias_Weight and a weight per feature; curve fits set CurveFit_Weights and scales only.
  [[nodiscard]] virtual absl::StatusOr<v1::ComponentWeights> WeightComponent(
      absl::string_view component, const std::vector<std::string>& features,
      const std::vector<double>& scale) const;

 protected:
  Trainer() = default;
};

// How a family is built, fresh or from its saved JSON.
struct TrainerFamily {
  std::function<std::unique_ptr<Trainer>(const TrainerContext&)> make;
  std::function<absl::StatusOr<std::unique_ptr<Trainer>>(absl::string_view json,
                                                         const TrainerContext&)>
      load;
};

// Registers `family` for `name`. AlreadyExists when `name` has one; InvalidArgument when a
// function is missing. Normally called through KEPLER_REGISTER_TRAINER.
absl::Status RegisterTrainer(v1::TrainerName name, TrainerFamily family);

// A fresh, unfitted trainer. NotFound when no family is registered for `name` (its library is
// not linked).
absl::StatusOr<std::unique_ptr<Trainer>> MakeTrainer(v1::TrainerName name,
                                                     const TrainerContext& context);

// A fitted trainer rebuilt from SaveJson() text. NotFound as MakeTrainer; InvalidArgument when
// the JSON is not that family's document.
absl::StatusOr<std::unique_ptr<Trainer>> LoadTrainer(v1::TrainerName name, absl::string_view json,
                                                     const TrainerContext& context);

// The registered families, in enum order.
std::vector<v1::TrainerName> RegisteredTrainers();

}  // namespace kepler::model::trainer

// Registers a family at static initialisation, at namespace scope in the family's .cc:
//   KEPLER_REGISTER_TRAINER(v1::SGDRegressorTrainer, SgdFamily());
// Dies at start-up (a programming error) when the name is registered twice.
#define KEPLER_REGISTER_TRAINER(name, family)                                     \
  [[maybe_unused]] static const bool KEPLER_TRAINER_CONCAT_(kepler_trainer_registered_, __LINE__) = \
      ::kepler::model::trainer::internal::RegisterOrDie(name, family)
#define KEPLER_TRAINER_CONCAT_INNER_(a, b) a##b
#define KEPLER_TRAINER_CONCAT_(a, b) KEPLER_TRAINER_CONCAT_INNER_(a, b)

namespace kepler::model::trainer::internal {
// RegisterTrainer, aborting with a message on error. Returns true.
bool RegisterOrDie(v1::TrainerName name, TrainerFamily family);
}  // namespace kepler::model::trainer::internal

#endif  // KEPLER_TRAINER_TRAINER_H_
