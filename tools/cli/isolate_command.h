// `kepler-model isolate`: capture -> the tables the DynPower trainers see, as CSV files.
//
// What: for each energy source and feature group (default: every group the capture feeds),
// extracts the container-level table and runs the isolator (min, none, profile with an idle
// capture, or trainer with an AbsPower pipeline; trainer/isolator.h), then writes
// `<output-dir>/isolate_<extractor>_<isolator>_<source>_<group>.csv`: one row per timestamp
// (id "all containers") whose power columns hold the dynamic power the DynPower models learn.
// Why: to check what an isolator leaves for the models (e.g. whether the idle profile removed
// the right background) before training on it.
//
// Thread-safety: IsolateTables is reentrant.
#ifndef KEPLER_TOOLS_CLI_ISOLATE_COMMAND_H_
#define KEPLER_TOOLS_CLI_ISOLATE_COMMAND_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "kepler/model/v1/types.pb.h"
#include "tools/cli/command.h"
#include "tools/cli/training_inputs.h"

namespace kepler::model::tools::cli {

struct IsolateCommandOptions {
  std::vector<std::string> captures;  // at least one; several are merged
  std::string output_dir;             // required
  std::vector<std::string> energy_sources = {"rapl-sysfs"};
  std::vector<v1::FeatureGroup> feature_groups;  // empty: every group the capture feeds
  std::string extractor = "default";
  IsolatorInputs isolator;
  std::optional<int> node_type;
  bool use_vm_metrics = false;
};

// Writes the tables and prints the summary to `out`. FailedPrecondition when no table could be
// built; InvalidArgument when the isolator cannot be built from its inputs.
absl::Status IsolateTables(const IsolateCommandOptions& options, std::ostream& out);

// Entry point of `kepler-model isolate`.
int IsolateMain(const std::vector<std::string>& args, CommandIo& io);

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_ISOLATE_COMMAND_H_
