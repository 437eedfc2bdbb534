// The training pipeline (contract §7.1–7.2): a capture in, a pipeline folder out.
//
// For every energy source and valid feature group, the extractor builds the node-level table
// (AbsPower labels) and the container-level table, which the isolator turns into DynPower
// labels. For every node type in a table, features are MaxAbs-scaled, rows split 90/10 with a
// fixed seed, and every requested trainer fits each component; the test split gives mae and
// mape. Trainers run on a thread pool sized to the cores. A trainer that cannot fit (too few
// rows for k = 6, a curve that does not converge) is skipped with its reason in the report; the
// rest go on. Everything is written to a staging folder beside the output (plain writes, no
// fsync per file), flushed once (PipelineOptions::sync) and published with one rename, so a
// model server watching the output never sees half a pipeline. Extraction and training run on
// PipelineOptions::threads threads (trainer/pipeline_data.h has the data preparation).
#ifndef KEPLER_TRAINER_PIPELINE_H_
#define KEPLER_TRAINER_PIPELINE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/node_type.h"
#include "kepler/model/v1/trainer.pb.h"
#include "trainer/capture.h"
#include "trainer/isolator.h"

namespace kepler::model::trainer {

struct PipelineOptions {
  // Pipeline (and output folder) name.
  std::string name = "std_v0.7.11";
  // Energy sources to train for.
  std::vector<std::string> energy_sources = {"rapl-sysfs"};
  // Feature groups; empty: every group the capture can feed.
  std::vector<v1::FeatureGroup> feature_groups;
  // Trainers for AbsPower and DynPower models; empty lists train none of that output type.
  std::vector<v1::TrainerName> abs_trainers;
  std::vector<v1::TrainerName> dyn_trainers;
  // "default" or "smooth".
  std::string extractor = "default";
  // Name written to metadata.json ("min", "none", "profile", "trainer").
  std::string isolator_name = "min";
  // Replaces the node type of every row (the reference's replace_node_type).
  std::optional<int> node_type;
  // The training machine: registered in node_type_index.json (complete specs only).
  std::optional<core::NodeSpec> machine_spec;
  std::string machine_id = "training-machine";
  bool use_vm_metrics = false;
  // Worker threads; 0: one per core.
  int threads = 0;
  // Seed of the train/test split and of stochastic trainers.
  uint64_t seed = 0;
  // Flush the written pipeline to disk (one syncfs of its filesystem) before publishing it.
  // Default true; false for a pipeline that is zipped and deleted straight away.
  bool sync = true;
  // Called (from any thread, serialised) as work completes.
  std::function<void(const v1::TrainProgress&)> progress;
};

struct PipelineReport {
  // Every model trained, and every trainer skipped (with skipped_reason).
  std::vector<v1::ModelMetrics> models;
  // Extraction problems per source and group (e.g. "acpi BPFOnly: no platform power").
  std::vector<std::string> notes;
  // Wall time of the stages: extraction, isolation, scaling and splitting; fitting, metrics and
  // writing the models; pipeline files and the publishing rename. For benchmarks and logs.
  struct Timing {
    double extract_seconds = 0;
    double train_seconds = 0;
    double publish_seconds = 0;
  } timing;
  // CPU seconds of the thread that trained each entry of `models` (index-aligned): fitting,
  // metrics and writing. For benchmarks: where the training time goes.
  std::vector<double> model_cpu_seconds;
  // Rows of every extracted table (each source, feature group and output type), summed.
  size_t rows = 0;
};

// Trains into `output_dir` (replaced as a whole when it exists). FailedPrecondition when no
// model at all could be trained (the notes say why); other errors are I/O failures.
absl::StatusOr<PipelineReport> TrainPipeline(const Capture& capture, const Isolator& isolator,
                                             const PipelineOptions& options,
                                             const std::string& output_dir);

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_PIPELINE_H_
