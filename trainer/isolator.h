// Isolators: container-level extractions -> dynamic-power (DynPower) training tables (contract §6).
//
// What: every isolator takes the container-level FeatureTable of an extractor (rows per timestamp
// and container id) and returns one row per timestamp, id "all containers", whose power columns
// hold the label to fit:
//   none    — Squeeze only: labels stay absolute power;
//   min     — Squeeze, then each power column minus its minimum over the table;
//   profile — the rows of target containers (names not seen in the idle capture) squeezed, minus
//             the idle profile's background power for the row's node type: (min+max)/2 per unit,
//             times #unit for a column that sums all units (`package_power`), once for a column of
//             one unit (`package_0_package_power`; the reference subtracts x #unit from each);
//   trainer — background power predicted by absolute-power models from the background
//             containers' usage; labels scaled to max(0, node power - predicted background).
// Squeeze: per timestamp, feature and ratio columns are summed over containers (ratios then
// re-normalised to sum 1), power columns and node_type averaged. Columns come out as the
// reference's: ratio columns, features, power columns, node_type (timestamp and id are the
// table's keys); the column set is the input's.
// Why: models of container power must learn only the power that workloads add on top of idle.
// Fixed on purpose (§11.18): the trainer isolator uses the idle-derived background list when
// given; otherwise containers whose names contain none of `target_hints`, otherwise those
// containing one of `background_hints`; with neither, no container is background.
//
// Thread-safety: isolators are immutable after construction; Isolate may run concurrently.
#ifndef KEPLER_TRAINER_ISOLATOR_H_
#define KEPLER_TRAINER_ISOLATOR_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trainer/capture.h"
#include "trainer/feature_table.h"
#include "trainer/profiler.h"

namespace kepler::model::trainer {

class Isolator {
 public:
  virtual ~Isolator() = default;
  // "none", "min", "profile" or "trainer".
  virtual absl::string_view name() const = 0;
  // The DynPower table of container-level `data` extracted for `energy_source`. An empty input
  // (or, for profile, no target container) gives an empty table with the same columns.
  [[nodiscard]] virtual absl::StatusOr<FeatureTable> Isolate(
      const FeatureTable& data, absl::string_view energy_source) const = 0;
};

// One row per timestamp as described above.
FeatureTable Squeeze(const FeatureTable& container_level);

std::unique_ptr<Isolator> MakeNoneIsolator();
std::unique_ptr<Isolator> MakeMinIsolator();

// Distinct container names of kepler_container_bpf_cpu_time_ms_total in `idle`, sorted: the
// containers that run even when the node is idle.
std::vector<std::string> BackgroundContainers(const Capture& idle);

// Profile isolation. Isolate fails with NotFound when the source, or a component of a row's node
// type, has no profile (the reference returns no data then).
std::unique_ptr<Isolator> MakeProfileIsolator(ProfileSet profiles,
                                              std::vector<std::string> background_containers);

// Predicted background watts per component: component -> one value per row of the input.
using ComponentWatts = std::map<std::string, std::vector<double>>;

// An absolute-power model as the trainer isolator sees it (the trainers stay out of this target).
struct BackgroundPowerPredictor {
  std::string name;  // for messages
  double mae = 0;    // the model's mean absolute error; lower is better
  // Given node-level usage (one row per timestamp: the background containers' summed feature
  // columns and node_type), the predicted watts per component of the energy source.
  std::function<absl::StatusOr<ComponentWatts>(const FeatureTable& usage)> predict;
};

struct TrainIsolatorOptions {
  // Candidate models; the best by the reference's is_better (corr threshold below) is used.
  std::vector<BackgroundPowerPredictor> candidates;
  // Container names known to be background (BackgroundContainers of an idle capture). Wins over
  // the hints when non-empty.
  std::vector<std::string> background_containers;
  // Substrings of target container names, or else of background container names.
  std::vector<std::string> target_hints;
  std::vector<std::string> background_hints;
  // A model whose dynamic power correlates at least this well with target usage is preferred.
  double correlation_threshold = 0.7;
};

// Trainer isolation. Isolate fails with FailedPrecondition when no candidate predicts.
std::unique_ptr<Isolator> MakeTrainIsolator(TrainIsolatorOptions options);

// By name for the isolators that need no inputs, "none" and "min"; InvalidArgument otherwise.
[[nodiscard]] absl::StatusOr<std::unique_ptr<Isolator>> MakeSimpleIsolator(absl::string_view name);

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_ISOLATOR_H_
