#include "tools/cli/table_files.h"

#include "absl/strings/str_cat.h"
#include "core/feature_group.h"
#include "core/file_util.h"
#include "core/status_macros.h"
#include "tools/cli/text_table.h"
#include "trainer/extractor.h"

namespace kepler::model::tools::cli {

absl::Status WriteTableFiles(const std::string& dir, const std::vector<TableJob>& jobs,
                             std::ostream& out) {
  RETURN_IF_ERROR(core::MakeDirs(dir));
  std::vector<std::vector<std::string>> rows;
  int written = 0;
  for (const TableJob& job : jobs) {
    absl::StatusOr<trainer::FeatureTable> table = job.build();
    if (!table.ok()) {
      rows.push_back({job.file, "-", "-", absl::StrCat("not written: ", table.status().message())});
      continue;
    }
    RETURN_IF_ERROR(
        core::WriteFileAtomic(absl::StrCat(dir, "/", job.file), trainer::ToCsv(*table)));
    rows.push_back({job.file, absl::StrCat(table->num_rows()), absl::StrCat(table->num_columns()),
                    absl::StrCat(table->feature_columns.size(), " features, ",
                                 table->power_columns.size(), " power columns")});
    ++written;
  }
  out << RenderTable({"FILE", "ROWS", "COLUMNS", "NOTE"}, rows);
  if (written == 0) return absl::FailedPreconditionError("no table could be built");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::FeatureGroup>> GroupsToExtract(
    const trainer::Capture& capture, const std::vector<v1::FeatureGroup>& requested, bool use_vm) {
  if (!requested.empty()) return requested;
  std::vector<v1::FeatureGroup> valid =
      trainer::ValidFeatureGroups(capture, core::FeatureGroups::Default(), use_vm);
  if (valid.empty()) {
    return absl::FailedPreconditionError("the capture has the metrics of no feature group");
  }
  return valid;
}

}  // namespace kepler::model::tools::cli
