// The portable files of one fitted model (docs/model-format.md), and its legacy weight document.
//
// What: PortableModelFiles returns the component map `<model_name>.json`, `scaler.json` and one
// `<component>.json` per component (each trainer's SaveJson()); WeightDocumentOf assembles the
// components' WeightComponent()s into the document Kepler parses (contract §2.6).
// Why: the pipeline writes these into a model folder and its zip, and tests load them back
// through core::LoadModelFromFiles exactly as the estimator will.
// How: fit one trainer per component on the scaler's columns, then call these. metadata.json is
// the pipeline's (it carries the metrics); the caller adds it with model_class
// core::kPortableModelClass and model_file "<model_name>.json".
//
// Thread-safety: pure functions; the trainers are only read.
#ifndef KEPLER_TRAINER_MODEL_FILES_H_
#define KEPLER_TRAINER_MODEL_FILES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/model_loader.h"
#include "kepler/model/v1/types.pb.h"
#include "trainer/scaler.h"
#include "trainer/trainer.h"

namespace kepler::model::trainer {

// One component's fitted trainer (not owned; must outlive the call).
struct FittedComponent {
  std::string component;  // "package", "core", "uncore", "dram" or "platform"
  const Trainer* trainer = nullptr;
};

// The component map, scaler.json and component files of model `model_name`, every component
// reading all of the scaler's features. InvalidArgument for no components or a null trainer;
// a trainer's SaveJson error (e.g. unfitted) is returned as it is.
absl::StatusOr<core::ModelFiles> PortableModelFiles(absl::string_view model_name,
                                                    const MaxAbsScaler& scaler,
                                                    const std::vector<FittedComponent>& components);

// The weight document of `components` in their order, features and scales from `scaler`.
// Unimplemented when the family has no weight document.
absl::StatusOr<v1::WeightDocument> WeightDocumentOf(const MaxAbsScaler& scaler,
                                                    const std::vector<FittedComponent>& components);

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_MODEL_FILES_H_
