// Portable-JSON models: the model folders and archives this project's trainers write
// (docs/model-format.md), evaluated without Python or pickles.
//
// What: metadata.json with model_class "kepler-json"; the component map `<Trainer>_<nt>.json`
// ({component: {"model_file": "package.json", "features": [...], "fe_files": ["scaler.json"]}});
// `scaler.json` ({"type": "MaxAbsScaler", "features": [...], "scale": [...]}); one JSON file per
// component whose "model" member names its family: the linear families (core/linear_model.h) or
// the tree, neighbour and SVR families (core/portable_regressor.h).
// Why: every family the trainer fits must be servable by the estimator, and pickles cannot be read
// safely; one small JSON per component keeps the format inspectable and stable.
// How: linking this library registers LoadPortableModel for model_class "kepler-json" in
// ModelFactoryRegistry::Global() (the target is alwayslink), so core::LoadModelFromFiles builds
// these models. Trainers write scaler.json with WritePortableScaler (trainer/scaler.h).
//
// Thread-safety: stateless functions; the built models are immutable, Predict may run
// concurrently.
#ifndef KEPLER_CORE_PORTABLE_MODEL_H_
#define KEPLER_CORE_PORTABLE_MODEL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/model.h"
#include "core/model_loader.h"
#include "core/regressor_model.h"

namespace kepler::model::core {

// metadata.json model_class of portable-JSON models.
inline constexpr char kPortableModelClass[] = "kepler-json";
// The scaler file every component of a portable model names in fe_files.
inline constexpr char kPortableScalerFile[] = "scaler.json";

// A MaxAbsScaler: x / scale per feature.
struct PortableScaler {
  std::vector<std::string> features;
  std::vector<double> scale;  // positive and finite, one per feature
};

// Parses scaler.json. InvalidArgument when malformed, lengths differ, or a scale is not a
// positive finite number.
absl::StatusOr<PortableScaler> ParsePortableScaler(absl::string_view json);
// Writes scaler.json. InvalidArgument when lengths differ or a scale is not positive and finite.
absl::StatusOr<std::string> WritePortableScaler(const PortableScaler& scaler);

// The Regressor of one component file, whichever portable family its "model" names.
// InvalidArgument when malformed; Unimplemented ("unsupported model format: ...") for an unknown
// family.
absl::StatusOr<std::shared_ptr<const Regressor>> ParseComponentRegressor(absl::string_view json);

// The ModelFactory for kPortableModelClass: reads the component map named by metadata.json's
// model_file, each component's file and its fe_files (only scaler.json). InvalidArgument naming
// the file for missing or malformed files; Unimplemented for unknown families or fe files.
absl::StatusOr<std::shared_ptr<const Model>> LoadPortableModel(const ModelSource& source);

// Registers LoadPortableModel in ModelFactoryRegistry::Global(); idempotent. Linking this
// library already does it; call it where static registration is not wanted.
absl::Status RegisterPortableModelClass();

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_PORTABLE_MODEL_H_
