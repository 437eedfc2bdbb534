// `kepler-model export`: a pipeline -> the model-database layout (contract §7.4, §3.2).
//
// What: every model of the pipeline that meets the export thresholds (export_thresholds.h) is
// copied to `<output>/<db-version>/<pipeline>/<source>/<OutputType>/<Group>/<model>.zip` (the
// model folder is zipped when the pipeline holds no archive), and for the weight-capable
// trainers (SGD and the curve fits, which Kepler evaluates in-process) its weight document goes
// beside it as `<model>.json`. The pipeline's metadata.json gains `publisher`, `collect_time`
// and `export_time`; node_type_index.json is copied; one `<source>_<OutputType>_model_metadata.csv`
// per source and output type lists the exported models. The folder is staged and published in
// one step, replacing an earlier export of the same pipeline.
// collect_time: --collect-time, else the captures' start recorded by `train` in
// train_arguments.json, else an earlier export's, else the pipeline's init_time.
// Why: model databases (kepler-model-db) are what model servers download from; only models good
// enough to serve belong there.
//
// Thread-safety: Export is reentrant for different outputs.
#ifndef KEPLER_TOOLS_CLI_EXPORT_COMMAND_H_
#define KEPLER_TOOLS_CLI_EXPORT_COMMAND_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/cli/command.h"

namespace kepler::model::tools::cli {

struct ExportOptions {
  std::string pipeline;      // folder or zip; required
  std::string output;        // database root; required
  std::string publisher;     // required
  std::string collect_time;  // "YYYY-MM-DD HH:MM:SS"; empty: see above
  std::string db_version = "v0.7";
};

// What happened to one model.
struct ExportDecision {
  std::string source, output_type, feature_group, model_name;
  double mae = 0, mape = 0;
  std::string rejection;  // empty: exported
};

struct ExportReport {
  std::string path;  // the exported pipeline folder
  std::vector<ExportDecision> decisions;
};

// Exports as described above. FailedPrecondition when no model meets the thresholds (nothing is
// written then).
absl::StatusOr<ExportReport> Export(const ExportOptions& options);

// Entry point of `kepler-model export`.
int ExportMain(const std::vector<std::string>& args, CommandIo& io);

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_EXPORT_COMMAND_H_
