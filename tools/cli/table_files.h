// Writing the feature/power tables the trainers see as CSV files (extract and isolate).
//
// What: WriteTableFiles runs a list of table jobs (one per energy source and feature group, and
// level), writes each table that could be built as `<dir>/<file>` with trainer::ToCsv
// (timestamp[, id], the columns in the extractor's order), and prints one summary row per job:
// the file with its rows and columns, or why the table could not be built (a missing energy
// metric, no rows left). GroupsToExtract chooses the feature groups of a capture.
// Why: extract and isolate differ only in how they build a table; the rest is shared.
//
// Thread-safety: jobs run one after another on the calling thread.
#ifndef KEPLER_TOOLS_CLI_TABLE_FILES_H_
#define KEPLER_TOOLS_CLI_TABLE_FILES_H_

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kepler/model/v1/types.pb.h"
#include "trainer/capture.h"
#include "trainer/feature_table.h"

namespace kepler::model::tools::cli {

struct TableJob {
  // File name inside the output folder, e.g. "extract_default_rapl-sysfs_BPFOnly_node.csv".
  std::string file;
  // Builds the table.
  std::function<absl::StatusOr<trainer::FeatureTable>()> build;
};

// Runs `jobs`, writing into `dir` (created when missing). FailedPrecondition when no table could
// be built (the summary says why for each); I/O errors as they come.
absl::Status WriteTableFiles(const std::string& dir, const std::vector<TableJob>& jobs,
                             std::ostream& out);

// `requested` when non-empty; otherwise every group `capture` can feed. FailedPrecondition when
// the capture feeds none.
absl::StatusOr<std::vector<v1::FeatureGroup>> GroupsToExtract(
    const trainer::Capture& capture, const std::vector<v1::FeatureGroup>& requested, bool use_vm);

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_TABLE_FILES_H_
