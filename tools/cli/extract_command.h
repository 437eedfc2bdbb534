// `kepler-model extract`: capture -> the tables the AbsPower trainers see, as CSV files.
//
// What: for each energy source and feature group (default: every group the capture feeds), runs
// the extractor (default or smooth) at node level (one row per timestamp, as AbsPower training
// reads) and/or container level (one row per timestamp and container, what isolators read), and
// writes `<output-dir>/extract_<extractor>_<source>_<group>_<level>.csv`: timestamp[, id], the
// feature columns, the power columns in watts, node_type and the package ratios. A summary table
// lists each file with its rows and columns, or why it could not be built.
// Why: to look at exactly what a model is fitted on (and feed `estimate` the same rows).
//
// Thread-safety: ExtractTables is reentrant.
#ifndef KEPLER_TOOLS_CLI_EXTRACT_COMMAND_H_
#define KEPLER_TOOLS_CLI_EXTRACT_COMMAND_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "kepler/model/v1/types.pb.h"
#include "tools/cli/command.h"

namespace kepler::model::tools::cli {

struct ExtractCommandOptions {
  std::vector<std::string> captures;  // at least one; several are merged
  std::string output_dir;             // required
  std::vector<std::string> energy_sources = {"rapl-sysfs"};
  std::vector<v1::FeatureGroup> feature_groups;  // empty: every group the capture feeds
  bool node_level = true;
  bool container_level = false;
  std::string extractor = "default";
  std::optional<int> node_type;
  bool use_vm_metrics = false;
};

// Writes the tables and prints the summary to `out`. FailedPrecondition when no table could be
// built.
absl::Status ExtractTables(const ExtractCommandOptions& options, std::ostream& out);

// Entry point of `kepler-model extract`.
int ExtractMain(const std::vector<std::string>& args, CommandIo& io);

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_EXTRACT_COMMAND_H_
