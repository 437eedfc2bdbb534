// Extractors: a Capture of Kepler metrics -> the feature/power table a trainer fits (contract
// §5.2-5.4).
//
// What: `default` turns energy counters into watts per component and workload counters into rates
// per container, joins them on timestamp and, at node level, aggregates over containers (sum of
// features, the node's power); `smooth` then replaces every feature and power column by its
// rolling mean over `smooth_window` rows. Columns, in order: the workload features (sorted, as the
// group lists them; an accelerator feature becomes one column per `type`), the power columns
// (`<component>_power`, or `package_<unit>_<component>_power` when the usage-ratio metric splits
// power per package), the system features (Full only), `node_type`, and the package ratio columns
// (`packge_ratio_<unit>`, the reference's spelling; for rapl without the ratio metric one column
// `packge_ratio_package` = 1.0, none for acpi).
// Rules kept from the reference: rates use per-row time gaps; a negative delta (counter reset) or
// non-finite one takes the previous row's rate (0 before any); a series' first sample has rate 0
// and rows at the first power timestamp are dropped; rows whose power sums to 0 are dropped; in
// non-VM mode series with job == vm_job_name are ignored (VM mode keeps only those, reads
// `kepler_process_<f>_total` per container_id/pid and `kepler_vm_<c>_joules_total`).
// Fixed on purpose (README "Behaviour that differs"):
//   * §11.15 power uses per-row gaps too (the reference divides by the series' mean gap, so its
//     idle.json package power at t=1702462614 is 137.175793 W where ours is 1989.049 J / 15 s =
//     132.603267 W), also per package, so no inflation by the number of packages.
//   * §11.16 node_type: Options::node_type when set (the pipeline knows the node type from the
//     machine spec); else the value of `kepler_node_node_info`; else 0. Real Kepler exports only
//     `kepler_node_info` (value 1, no node type), which therefore means node type 0.
//   * §11.23 Full is derivable: system feature `node_info` reads `kepler_node_node_info` or
//     `kepler_node_info`, and ValidFeatureGroups counts system features whose query is present.
//   * smoothing at container level is per container (the reference's window spans containers).
//   * power sums use only timestamps that every summed series has (no false resets).
//
// Thread-safety: extractors are stateless; Extract may run concurrently on shared captures.
#ifndef KEPLER_TRAINER_EXTRACTOR_H_
#define KEPLER_TRAINER_EXTRACTOR_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/feature_group.h"
#include "trainer/capture.h"
#include "trainer/feature_table.h"

namespace kepler::model::trainer {

struct ExtractOptions {
  // Energy source whose counters give the power columns (canonical name). Default rapl-sysfs.
  std::string energy_source = "rapl-sysfs";
  // Group whose features give the feature columns. Default BPFOnly.
  v1::FeatureGroup feature_group = v1::BPFOnly;
  // Feature-group table; nullptr (default) means core::FeatureGroups::Default(). Pass
  // FeatureGroups::WithThirdParty(...) to extract the ThirdParty group. Not owned.
  const core::FeatureGroups* feature_groups = nullptr;
  // Node level (true, default): AbsPower data. With `aggregate` (default true) one row per
  // timestamp; otherwise one row per (timestamp, container id), as at container level.
  bool node_level = true;
  bool aggregate = true;
  // VM mode (§5.2). Default false.
  bool use_vm_metrics = false;
  // The job label of VM-level series. Default "vm" (VM_JOB_NAME).
  std::string vm_job_name = "vm";
  // Node type for every row; unset (default): from kepler_node_node_info, else 0.
  std::optional<int> node_type;
  // Rows in the smooth extractor's rolling mean. Default 30, as the reference.
  int smooth_window = 30;
};

class Extractor {
 public:
  virtual ~Extractor() = default;
  // "default" or "smooth".
  virtual absl::string_view name() const = 0;
  // The table described above. NotFound names a missing query (an energy component, a feature);
  // FailedPrecondition when nothing is left (no rows with power and features, AcceleratorOnly at
  // container level); InvalidArgument for an unknown source or a group without features.
  [[nodiscard]] virtual absl::StatusOr<FeatureTable> Extract(
      const Capture& capture, const ExtractOptions& options) const = 0;
};

std::unique_ptr<Extractor> MakeDefaultExtractor();
std::unique_ptr<Extractor> MakeSmoothExtractor();
// By name ("default", "smooth"); InvalidArgument otherwise.
[[nodiscard]] absl::StatusOr<std::unique_ptr<Extractor>> MakeExtractor(absl::string_view name);

// Only the node's power (§5.3 steps 1-2) plus `node_type`: one row per timestamp, power columns
// (role power_columns). Used by the profiler. Errors as Extract.
[[nodiscard]] absl::StatusOr<FeatureTable> ExtractPower(const Capture& capture,
                                                        const ExtractOptions& options);

// The query that holds `feature`: kepler_container_<f>_total (kepler_process_<f>_total in VM
// mode), kepler_node_<f> for the accelerator and system features, the name itself for
// third-party metrics of `groups`.
std::string FeatureQuery(absl::string_view feature, const core::FeatureGroups& groups,
                         bool use_vm_metrics);

// Groups trainable from `capture` (§5.2): features whose query has data, then
// FeatureGroups::ValidGroups. For idle.json: CounterOnly, BPFOnly, BPFIRQ, CounterIRQCombined,
// Basic.
std::vector<v1::FeatureGroup> ValidFeatureGroups(const Capture& capture,
                                                 const core::FeatureGroups& groups,
                                                 bool use_vm_metrics = false);

// Distinct node types of kepler_node_node_info values, ascending; empty when the query is absent.
std::vector<int> CaptureNodeTypes(const Capture& capture);

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_EXTRACTOR_H_
