// `kepler-model plot`: SVG pictures of a pipeline's models against a capture.
//
// What: for every selected model of the pipeline, the capture is extracted as the pipeline was
// trained (its extractor; node level for AbsPower, container level then its isolator for
// DynPower) and two SVG files are written to the output folder:
//   <source>_<OutputType>_<Group>_<model>_curve.svg    watts per component as the group's main
//       feature sweeps its range (others at their medians), over the measured points;
//   <source>_<OutputType>_<Group>_<model>_scatter.svg  predicted against measured watts per
//       component, with the y = x line and each component's mean absolute error;
// plus index.html showing them all. A summary lists each model with its error on this capture.
// Why: numbers in metadata say how wrong a model is; pictures say where and why.
//
// Thread-safety: Plot runs on the calling thread.
#ifndef KEPLER_TOOLS_CLI_PLOT_COMMAND_H_
#define KEPLER_TOOLS_CLI_PLOT_COMMAND_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/cli/command.h"
#include "tools/cli/pipeline_models.h"
#include "tools/cli/progress_bar.h"
#include "tools/cli/training_inputs.h"

namespace kepler::model::tools::cli {

struct PlotOptions {
  std::string pipeline;               // folder or zip; required
  std::vector<std::string> captures;  // at least one
  std::string output_dir;             // required
  ModelFilter filter;
  // Empty: the pipeline's metadata (extractor, isolator). The profile isolator needs
  // isolator.idle_path and the trainer isolator isolator.abs_pipeline.
  std::string extractor;
  IsolatorInputs isolator;
};

// One model's outcome: its files, or why it has none.
struct PlotResult {
  std::string model;  // <source>/<OutputType>/<Group>/<name>
  size_t rows = 0;
  double mae = 0;  // largest component mae on the capture
  std::vector<std::string> files;
  std::string error;
};

// Writes the pictures. FailedPrecondition when no model could be plotted (each result says why).
absl::StatusOr<std::vector<PlotResult>> Plot(const PlotOptions& options, ProgressBar* progress);

// Entry point of `kepler-model plot`.
int PlotMain(const std::vector<std::string>& args, CommandIo& io);

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_PLOT_COMMAND_H_
