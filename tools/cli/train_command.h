// `kepler-model train`: capture file(s) -> a pipeline folder or zip (contract §7.1, §9.2).
//
// What: reads the captures (several are merged series by series, capture_merge.h), builds the
// isolator, and runs the training pipeline (trainer/pipeline.h) for the chosen energy sources,
// feature groups and trainers. The pipeline is staged aside with a `train_arguments.json` that
// records the command (inputs, choices, seed, and the captures' time range as `collect_time`,
// which `export` reads), then published in one step: a folder is swapped in atomically, a path
// ending in `.zip` receives the folder's contents at the archive root (written atomically).
// Why: a model engineer trains a pipeline from a capture with one command, and a model server
// watching the output folder never sees half a pipeline.
// How: TrainMain is the entry point (flags -> TrainOptions); Train is the work.
//
// Thread-safety: Train runs the pipeline's thread pool and returns when done.
#ifndef KEPLER_TOOLS_CLI_TRAIN_COMMAND_H_
#define KEPLER_TOOLS_CLI_TRAIN_COMMAND_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/cli/command.h"
#include "tools/cli/progress_bar.h"
#include "tools/cli/training_inputs.h"
#include "trainer/pipeline.h"

namespace kepler::model::tools::cli {

struct TrainOptions {
  // Capture files (at least one).
  std::vector<std::string> captures;
  // A pipeline folder, or a path ending in ".zip". Required.
  std::string output;
  // Name, sources, groups, trainers, extractor, node type, machine spec, seed, threads. The
  // isolator name is set from `isolator`.
  trainer::PipelineOptions pipeline;
  IsolatorInputs isolator;
};

// Trains and publishes as described above. FailedPrecondition when no model could be trained.
// `progress` may be null.
absl::StatusOr<trainer::PipelineReport> Train(const TrainOptions& options, ProgressBar* progress);

// The JSON written as train_arguments.json.
std::string TrainArgumentsJson(const TrainOptions& options, const trainer::Capture& capture);

// Entry point of `kepler-model train`.
int TrainMain(const std::vector<std::string>& args, CommandIo& io);

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_TRAIN_COMMAND_H_
