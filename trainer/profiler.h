// Idle power profiles: per energy source, component and node type, the range of power a node draws
// when idle (contract §6.5). The profile isolator subtracts them to get dynamic power.
//
// What: ProfileIdle() reads an idle capture; for every energy source whose power extracts
// (ExtractPower), for every component, each row's power per unit (the mean of the component's
// power columns: one column, or one per package when the usage-ratio metric splits power) gives
// `min_watt` and `max_watt` over the rows of each node type, and `#unit` the number of columns.
// Files use the model database's format, `<source>.json` =
// `{"<component>": {"<node_type>": {"min_watt": .., "max_watt": .., "#unit": 1}}}`
// (kepler-model-db `profiles/profile/rapl.json`; "#unit", written by the reference's profiler, is
// optional when reading and means 1).
// Why: idle power is a property of the machine; profiling it once lets dynamic-power labels be
// built from any later capture of that node type.
// Fixed on purpose (§11.14): a component matches exactly its own columns (`core_power` no longer
// also matches `uncore_power`, which doubled core's #unit), and the watts are not divided by the
// sampling gap a second time.
//
// Thread-safety: PowerProfile is a value type; const access is safe from many threads.
#ifndef KEPLER_TRAINER_PROFILER_H_
#define KEPLER_TRAINER_PROFILER_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trainer/capture.h"

namespace kepler::model::trainer {

// Idle power of one component of one node type, per unit (package).
struct IdlePower {
  double min_watt = 0;
  double max_watt = 0;
  int units = 1;  // "#unit"
};

// The profile of one energy source: component -> node type -> IdlePower. Components keep their
// insertion order (the source's component order when profiled), as the files do.
class PowerProfile {
 public:
  // Sets (replaces) the entry of (component, node_type).
  void Set(absl::string_view component, int node_type, IdlePower power);
  // The entry, or nullptr.
  const IdlePower* Find(absl::string_view component, int node_type) const;
  // Background power the profile isolator subtracts: (min_watt + max_watt) / 2 x units; nullopt
  // when there is no entry.
  std::optional<double> BackgroundWatts(absl::string_view component, int node_type) const;
  // Components in order, and each one's node types ascending.
  std::vector<std::string> Components() const;
  std::vector<int> NodeTypes(absl::string_view component) const;
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<std::pair<std::string, std::map<int, IdlePower>>> entries_;
};

// Profiles keyed by energy source ("rapl-sysfs", "acpi", ...).
using ProfileSet = std::map<std::string, PowerProfile>;

struct ProfilerOptions {
  // Node type of every row; unset (default): kepler_node_node_info's value, else 0.
  std::optional<int> node_type;
  // Read kepler_vm_* energy (§5.2). Default false.
  bool use_vm_metrics = false;
};

// Profiles every source whose power extracts from `idle`. NotFound when none does.
[[nodiscard]] absl::StatusOr<ProfileSet> ProfileIdle(const Capture& idle,
                                                     const ProfilerOptions& options = {});

// The file text of one profile (Python json.dumps spacing, node types ascending).
std::string ProfileToJson(const PowerProfile& profile);
// Reads one profile file's text. InvalidArgument naming the bad entry.
[[nodiscard]] absl::StatusOr<PowerProfile> ParseProfileJson(absl::string_view json);

// Writes `<dir>/<source>.json` for each profile; `dir` must exist. Files are replaced atomically.
[[nodiscard]] absl::Status WriteProfiles(const std::string& dir, const ProfileSet& profiles);
// Reads `<dir>/<source>.json` for every known source present; the model database's `rapl.json`
// stands for rapl-sysfs when `rapl-sysfs.json` is absent. NotFound when no file is present.
[[nodiscard]] absl::StatusOr<ProfileSet> ReadProfiles(const std::string& dir);

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_PROFILER_H_
