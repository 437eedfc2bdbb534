// Steps of the default and smooth extractors that work on an assembled FeatureTable (internal to
// //trainer:extractor): system features, package ratio columns, and the rolling mean.
//
// Thread-safety: pure functions.
#ifndef KEPLER_TRAINER_INTERNAL_TABLE_OPS_H_
#define KEPLER_TRAINER_INTERNAL_TABLE_OPS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "trainer/capture.h"
#include "trainer/feature_table.h"
#include "trainer/internal/workload_data.h"

namespace kepler::model::trainer::internal {

// Appends one column per system feature (§5.3 step 7): the mean over the query's series at each
// row's timestamp, truncated to an integer. Rows whose timestamp has no value are dropped (inner
// join). NotFound names a missing query.
[[nodiscard]] absl::Status AppendSystemFeatures(const Capture& capture,
                                                const std::vector<WorkloadQuery>& system,
                                                FeatureTable* table);

// Appends `packge_ratio_<unit>` for each unit of the package power columns (§5.3 step 10):
// without the usage-ratio metric 1/#units each (1.0 for rapl's single "package" unit); with it,
// the metric summed per timestamp and `pkg_id` (and per container id, `id_labels` joined by '/',
// when the table has ids), rows lacking a unit dropped, normalised to sum 1 per row (an all-zero
// row is split evenly rather than divided by zero).
[[nodiscard]] absl::Status AppendRatioColumns(const Capture& capture,
                                              const std::vector<std::string>& id_labels,
                                              FeatureTable* table);

// The smooth extractor's step (§5.4): each feature and power column becomes its mean over the
// last `window` rows of the same id (the whole table at node level); the first window-1 rows of
// each id are dropped. FailedPrecondition when no row is left.
[[nodiscard]] absl::StatusOr<FeatureTable> RollingMean(const FeatureTable& table, int window);

}  // namespace kepler::model::trainer::internal

#endif  // KEPLER_TRAINER_INTERNAL_TABLE_OPS_H_
