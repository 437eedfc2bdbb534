// `kepler-model inspect`: a pipeline's models and their errors as an aligned table.
//
// What: opens a pipeline folder or zip as a model server would, then prints its metadata
// (name, isolator, extractor, update time, node types) and one row per model: source, output
// type, feature group, model, node type, mae, mape, and the mae of each component. Rows can be
// filtered (source, output type, feature group, trainer) and sorted by name (pipeline order),
// mae or mape; `--format=csv` prints the same rows as CSV for scripts. Given a model archive or
// folder instead, it loads the model and prints its metadata, evaluator family, features and
// components, or the reason it cannot be evaluated (naming the missing class).
// Why: after training, a model engineer wants to see at a glance which models are good enough
// to export and serve.
//
// Thread-safety: Inspect is reentrant.
#ifndef KEPLER_TOOLS_CLI_INSPECT_COMMAND_H_
#define KEPLER_TOOLS_CLI_INSPECT_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/cli/command.h"
#include "tools/cli/pipeline_models.h"

namespace kepler::model::tools::cli {

struct InspectOptions {
  // Pipeline folder or zip, or a model archive or folder. Required.
  std::string pipeline;
  ModelFilter filter;
  // "name" (default), "mae" or "mape"; ascending.
  std::string sort = "name";
  // "table" (default) or "csv".
  std::string format = "table";
};

// Prints the report to `out`. NotFound / InvalidArgument when the pipeline cannot be opened.
absl::Status Inspect(const InspectOptions& options, std::ostream& out);

// Entry point of `kepler-model inspect`.
int InspectMain(const std::vector<std::string>& args, CommandIo& io);

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_INSPECT_COMMAND_H_
