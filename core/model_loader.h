// Building a Model from a model's files (a model folder or an unpacked model archive).
//
// What: LoadModelFromFiles reads `metadata.json` (model_class, model_file, features, fe_files),
// the component map it names (`<Trainer>_<nt>.json`: component -> {model_file, features,
// fe_files}) and the files those name, and builds the matching Model implementation:
//   - a weight-capable trainer (SGD, LinearRegression, the curve fits) of another model_class
//     with a `weight.json`
//     (the server copies the published `<model>.json` in as weight.json) -> a weight model;
//   - model_class "xgboost" -> XgboostModel, scaled by `scaler.pkl` (read without Python), or
//     by the scales of a sibling weight.json when the pickle cannot be read;
//   - model_class "scikit" / "curvefit": the pickled scikit-learn estimators and curve fits,
//     read without Python (core/sklearn/sklearn_model.h); a weight-capable trainer's weight.json
//     is used only when its pickles cannot be read;
//   - any other model_class -> the factory registered for it (ModelFactoryRegistry), e.g. the
//     portable-JSON families this project's trainers write.
// Why: one place decides how a model on disk is evaluated; the estimator, the server's checks and
// the trainer all call it. Taking file contents, not paths, keeps it free of zip and filesystem
// concerns (callers use core/archive.h or core/file_util.h).
// How: pass file name -> bytes for the folder's files (names as at the archive root).
//
// Thread-safety: LoadModelFromFiles and the registry are safe to call concurrently; the
// returned models are immutable.
#ifndef KEPLER_CORE_MODEL_LOADER_H_
#define KEPLER_CORE_MODEL_LOADER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "core/component_map.h"
#include "core/model.h"
#include "kepler/model/v1/types.pb.h"

namespace kepler::model::core {


// What a model factory is given; the references are valid only during the factory call.
struct ModelSource {
  const ModelFiles& files;
  // Parsed metadata.json.
  const v1::ModelMetadata& metadata;
  // Trainer name, from metadata "trainer" or else the model name's prefix.
  std::string trainer;
  // Feature group of the folder the model came from; FEATURE_GROUP_UNSPECIFIED if unknown.
  v1::FeatureGroup feature_group;
};

using ModelFactory =
    std::function<absl::StatusOr<std::shared_ptr<const Model>>(const ModelSource&)>;

// Factories keyed by metadata.json's model_class: the extension point for new model families.
class ModelFactoryRegistry {
 public:
  // The process-wide registry; holds the built-in "xgboost", "scikit" and "curvefit" entries.
  static ModelFactoryRegistry& Global();

  // Adds `factory` for `model_class`. AlreadyExists when one is registered for it.
  [[nodiscard]] absl::Status Register(const std::string& model_class, ModelFactory factory);

  // The factory for `model_class`, or nullptr.
  ModelFactory Find(absl::string_view model_class) const;

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, ModelFactory> factories_ ABSL_GUARDED_BY(mu_);
};

// Builds the model in `files` (see the file comment). `feature_group_hint` is the feature group
// folder name ("BPFOnly"), used by curve-fit models; empty or unknown: taken from metadata or
// inferred from the features. InvalidArgument for missing or malformed files, Unimplemented for
// formats that cannot be evaluated (an estimator class or file outside the whitelist, unknown
// model_class).
[[nodiscard]] absl::StatusOr<std::shared_ptr<const Model>> LoadModelFromFiles(
    const ModelFiles& files, absl::string_view feature_group_hint);

// Builds the model a weight document describes for `trainer`: a curve fit for the curve-fit
// trainers, xgboost when the document carries XGboost_Weights, linear otherwise.
[[nodiscard]] absl::StatusOr<std::shared_ptr<const Model>> LoadWeightModel(
    const v1::WeightDocument& doc, absl::string_view trainer, v1::FeatureGroup feature_group);

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_MODEL_LOADER_H_
