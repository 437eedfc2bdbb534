// Workload features per container on the power timeline (contract §5.3 step 4-5; internal to
// //trainer:extractor).
//
// Container tables (series carrying the id labels): series of the excluded job are skipped (job
// == vm_job_name normally; every other job in VM mode); each series' counter becomes rates by
// CounterRates (per-row gaps, resets -> previous rate, first sample -> 0); series with a single
// sample are skipped; series that map to the same id are summed. Node tables (no id labels: the
// accelerator, node-level third-party metrics): one column per `type` label value,
// "<feature>_<type>" ("<feature>" without a type), summed per timestamp and not differenced; their
// rows belong to the pseudo id kNodeRowId.
// Only samples at `grid` timestamps (the power rows) make rows, since the reference drops the
// others at the join. A row exists where its id has a sample of at least one feature; features it
// lacks there are 0.
//
// Thread-safety: pure functions of the capture.
#ifndef KEPLER_TRAINER_INTERNAL_WORKLOAD_DATA_H_
#define KEPLER_TRAINER_INTERNAL_WORKLOAD_DATA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trainer/capture.h"

namespace kepler::model::trainer::internal {

// Id of the rows holding node-level features (the reference's stacked frames give them id 0).
inline constexpr absl::string_view kNodeRowId = "node";

struct WorkloadQuery {
  std::string feature;  // feature name (column name, before any <type> suffix)
  std::string query;    // query name in the capture
};

struct WorkloadOptions {
  bool use_vm_metrics = false;
  std::string vm_job_name = "vm";
  // Labels joined by '/' into the row id.
  std::vector<std::string> id_labels;
};

// Rows (grid position, id) with one value per feature column. Rows are grouped by id in
// id_names order and sorted by grid position within an id.
struct WorkloadRows {
  std::vector<std::string> columns;  // feature columns, accelerator types expanded
  std::vector<std::string> id_names;
  std::vector<uint32_t> row_grid;    // index into the grid
  std::vector<uint32_t> row_id;      // index into id_names
  std::vector<std::vector<double>> values;  // values[column][row]
};

// NotFound naming the query when a feature's query is missing or has no series.
[[nodiscard]] absl::StatusOr<WorkloadRows> ReadWorkload(const Capture& capture,
                                                        const std::vector<WorkloadQuery>& queries,
                                                        const std::vector<double>& grid,
                                                        const WorkloadOptions& options);

}  // namespace kepler::model::trainer::internal

#endif  // KEPLER_TRAINER_INTERNAL_WORKLOAD_DATA_H_
