// Writes one trained model in the repository layout (contract §3.2–3.3).
//
// In `<group_dir>`: the model folder `<Trainer>_<nt>/` (metadata.json with the reference's keys,
// the component map `<Trainer>_<nt>.json`, one portable-JSON file per component, scaler.json,
// and weight.json for trainers that have a weight document), its archive `<Trainer>_<nt>.zip`
// (the folder's files at the root, weight.json included) and, beside it, the weight document
// `<Trainer>_<nt>.json` as model databases publish it. Archives are what the estimator and the
// model server read back.
#ifndef KEPLER_TRAINER_MODEL_WRITER_H_
#define KEPLER_TRAINER_MODEL_WRITER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/node_type.h"
#include "kepler/model/v1/trainer.pb.h"
#include "trainer/metrics.h"
#include "trainer/model_files.h"
#include "trainer/scaler.h"

namespace kepler::model::trainer {

struct TrainedModel {
  v1::TrainerName trainer = v1::TRAINER_NAME_UNSPECIFIED;
  int node_type = 0;
  v1::OutputType output_type = v1::AbsPower;
  const MaxAbsScaler* scaler = nullptr;
  // One fitted trainer per component, in the source's component order.
  std::vector<FittedComponent> components;
  // Test-set errors, one per component, same order.
  std::vector<ErrorMetrics> errors;
  // The node type's machine spec, when the pipeline's index has it.
  std::optional<core::NodeSpec> machine_spec;
};

// Writes `model` into `group_dir` (created if missing) and returns its metrics as the Trainer
// service reports them (source and feature group are left for the caller to fill). `group_dir`
// must lie in a private staging folder that is published whole: files are written in place,
// without fsync (core::WriteStagedFile), and the archive is deflated at zlib's fastest level.
absl::StatusOr<v1::ModelMetrics> WriteModel(const std::string& group_dir, const TrainedModel& model);

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_MODEL_WRITER_H_
