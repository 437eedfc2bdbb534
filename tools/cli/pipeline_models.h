// Opening a pipeline (a folder or a zip of one) and loading the models in it, for the inspect,
// estimate, export and plot subcommands.
//
// What: PipelineHandle::Open reads a pipeline with the model server's loader
// (server/pipeline_loader.h), so the CLI sees exactly what a model server would serve; a `.zip`
// is first unpacked into a private temporary folder, removed with the handle. SelectModels
// filters the pipeline's models; LoadEntryModel and LoadModelPath build an evaluable core::Model
// from a model's archive or folder (pickled scikit-learn models included), falling back to its
// weight document when its own files cannot be evaluated.
// Why: four subcommands need the same "which models, and evaluate one" logic.
//
// Thread-safety: a PipelineHandle is immutable after Open; loading functions are reentrant.
#ifndef KEPLER_TOOLS_CLI_PIPELINE_MODELS_H_
#define KEPLER_TOOLS_CLI_PIPELINE_MODELS_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/model.h"
#include "server/snapshot.h"

namespace kepler::model::tools::cli {

class PipelineHandle {
 public:
  // Opens the pipeline folder or zip at `path`. NotFound when it is missing, InvalidArgument
  // when it is not a pipeline (no metadata.json) or its index is broken.
  static absl::StatusOr<std::unique_ptr<PipelineHandle>> Open(const std::string& path);
  ~PipelineHandle();
  PipelineHandle(const PipelineHandle&) = delete;
  PipelineHandle& operator=(const PipelineHandle&) = delete;

  const server::Pipeline& pipeline() const { return pipeline_; }
  // Folder of a model's unpacked files: <pipeline>/<source>/<OutputType>/<Group>/<name>.
  std::string ModelDir(const server::ModelEntry& model) const;
  // Folder of its group: <pipeline>/<source>/<OutputType>/<Group>.
  std::string GroupDir(const server::ModelEntry& model) const;

 private:
  PipelineHandle(server::Pipeline pipeline, std::string temp_dir)
      : pipeline_(std::move(pipeline)), temp_dir_(std::move(temp_dir)) {}
  server::Pipeline pipeline_;
  std::string temp_dir_;  // non-empty for an unpacked zip
};

// Which models to consider; unset fields match everything.
struct ModelFilter {
  std::string source;
  std::optional<v1::OutputType> output_type;
  std::optional<v1::FeatureGroup> feature_group;
  std::string trainer;     // exact trainer name
  std::string model_name;  // e.g. "SGDRegressorTrainer_0"
  std::optional<int> node_type;
};

// A filter as typed on the command line; empty strings (and node_type -1) match everything.
struct ModelFilterFlags {
  std::string source;
  std::string output_type;
  std::string feature_group;
  std::string trainer;
  std::string model_name;
  int node_type = -1;
};

// Parses the names (any case, trainers also without the "Trainer" suffix). InvalidArgument
// naming an unknown source, output type, feature group or trainer.
absl::StatusOr<ModelFilter> ParseModelFilter(const ModelFilterFlags& flags);

// Models of `pipeline` matching `filter`, in pipeline order (source, output type, group, name).
std::vector<const server::ModelEntry*> SelectModels(const server::Pipeline& pipeline,
                                                    const ModelFilter& filter);

// The model with the lowest mae (first on ties); nullptr when `models` is empty.
const server::ModelEntry* LowestMae(const std::vector<const server::ModelEntry*>& models);

// Builds the model of a pipeline entry from its archive, or its folder when it has none.
absl::StatusOr<std::shared_ptr<const core::Model>> LoadEntryModel(const PipelineHandle& handle,
                                                                  const server::ModelEntry& model);

// Builds the model in a model archive (`.zip`) or an unpacked model folder. `group_hint` is the
// feature group name when known (curve-fit models read its main feature), else "".
absl::StatusOr<std::shared_ptr<const core::Model>> LoadModelPath(const std::string& path,
                                                                 absl::string_view group_hint);

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_PIPELINE_MODELS_H_
