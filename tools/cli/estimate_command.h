// `kepler-model estimate`: a model (or the best model of a pipeline) + a CSV of metric rows ->
// a CSV of watts per component.
//
// What: the model is a model archive or folder (--model), or is picked from a pipeline folder or
// zip (--pipeline) by energy source, output type and optionally feature group and trainer: the
// lowest mae among the models whose features the CSV has. The input CSV's header names the
// metrics (bpf_cpu_time_ms, ...; extra columns are ignored), one row per sample. The output has
// the input's `timestamp` and `id` columns when present, then `<component>_power` in watts for
// each component the model predicts (package, core, uncore, dram or platform), as the training
// tables name them; negative predictions are 0, as the estimator answers.
// Why: to try a model on hand-made or extracted rows (`kepler-model extract` writes CSVs this
// reads) without running the estimator.
//
// Thread-safety: Estimate is reentrant.
#ifndef KEPLER_TOOLS_CLI_ESTIMATE_COMMAND_H_
#define KEPLER_TOOLS_CLI_ESTIMATE_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/cli/command.h"
#include "tools/cli/pipeline_models.h"

namespace kepler::model::tools::cli {

struct EstimateOptions {
  // Exactly one of `model` (archive or folder) and `pipeline` (folder or zip).
  std::string model;
  std::string pipeline;
  // Picks the pipeline's model; source and output type default to rapl-sysfs and AbsPower.
  ModelFilter filter;
  // Input CSV path. Required.
  std::string input;
  // Output CSV path; empty: written to the `out` stream.
  std::string output;
};

// Writes the watts CSV. `log` receives the chosen model's name. InvalidArgument for a CSV that
// lacks a feature or has a non-number; NotFound when no model of the pipeline fits.
absl::Status Estimate(const EstimateOptions& options, std::ostream& out, std::ostream& log);

// Entry point of `kepler-model estimate`.
int EstimateMain(const std::vector<std::string>& args, CommandIo& io);

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_ESTIMATE_COMMAND_H_
