// Energy counters to watts (contract §5.3 step 1-2; internal to //trainer:extractor).
//
// For each component of the source, the series of `kepler_node_<component>_joules_total`
// (`kepler_vm_...` in VM mode) whose `source` label is the source are summed per timestamp (over
// modes, and over packages unless the usage-ratio metric splits power per package), then turned
// into watts by CounterRates (per-row gaps). Components are inner-joined on timestamp and rows
// whose power sums to exactly 0 are dropped.
//
// Deviation from the reference, on purpose: a timestamp contributes to a sum only when every
// series of the sum has a sample there. A series missing one scrape would otherwise make a false
// drop (read as a counter reset) followed by a false spike.
//
// Thread-safety: pure functions of the capture.
#ifndef KEPLER_TRAINER_INTERNAL_POWER_DATA_H_
#define KEPLER_TRAINER_INTERNAL_POWER_DATA_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trainer/capture.h"
#include "trainer/feature_table.h"

namespace kepler::model::trainer::internal {

// The usage-ratio metric; when present, rapl power is split per package.
inline constexpr absl::string_view kUsageRatioQuery =
    "kepler_container_cpu_usage_per_package_ratio";

// "kepler_node_<component>_joules_total", or "kepler_vm_<component>_joules_total" in VM mode.
std::string EnergyQuery(absl::string_view component, bool use_vm_metrics);

// Node-level table of power columns (role power_columns, no ids). NotFound names the missing
// query, or the query without series of `source`; InvalidArgument for an unknown source.
[[nodiscard]] absl::StatusOr<FeatureTable> ReadPower(const Capture& capture,
                                                     absl::string_view source,
                                                     bool use_vm_metrics);

}  // namespace kepler::model::trainer::internal

#endif  // KEPLER_TRAINER_INTERNAL_POWER_DATA_H_
