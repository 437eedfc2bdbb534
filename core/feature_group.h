// Features and feature groups (contract §0.2).
//
// A feature group names a sorted list of features a model reads. The table's order is the order
// in which valid groups are reported and tried. `FeatureGroups::Default()` is the reference's
// table; `WithThirdParty()` adds the ThirdParty group for extra Prometheus metrics (and extends
// WorkloadOnly with them), as PROM_THIRDPARTY_METRICS does. Instances are immutable and
// thread-safe.
#ifndef KEPLER_CORE_FEATURE_GROUP_H_
#define KEPLER_CORE_FEATURE_GROUP_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "kepler/model/v1/types.pb.h"

namespace kepler::model::core {

// System features: constant per node, broadcast to every row.
const std::vector<std::string>& SystemFeatures();
// Workload features: counters, BPF, IRQ and accelerator (the 9 names of the reference).
const std::vector<std::string>& WorkloadFeatures();

// Enum <-> name ("BPFOnly"). Unknown names give nullopt.
absl::optional<v1::FeatureGroup> ParseFeatureGroup(absl::string_view name);
std::string FeatureGroupName(v1::FeatureGroup group);

class FeatureGroups {
 public:
  // The reference's eight groups: Full, WorkloadOnly, CounterOnly, BPFOnly, BPFIRQ,
  // CounterIRQCombined, Basic, AcceleratorOnly.
  static const FeatureGroups& Default();
  // Default() plus ThirdParty = `metrics` (sorted), with WorkloadOnly extended by them.
  static FeatureGroups WithThirdParty(std::vector<std::string> metrics);

  // Groups in table order.
  std::vector<v1::FeatureGroup> Groups() const;
  // Sorted features of `group`; empty when the group is not in the table.
  const std::vector<std::string>& FeaturesOf(v1::FeatureGroup group) const;
  // Every group whose features are all in `metrics` (a set; extra names are fine), table order.
  std::vector<v1::FeatureGroup> ValidGroups(const std::vector<std::string>& metrics) const;
  // Position in FeaturesOf(group) of the feature curve-fit models read: the dram feature for
  // component "dram" when the group has one, otherwise the main feature. -1 if not in table.
  int MainFeatureIndex(v1::FeatureGroup group, absl::string_view component) const;

 private:
  struct Entry {
    v1::FeatureGroup group;
    std::vector<std::string> features;  // sorted
    std::string main_feature;
    std::string dram_feature;  // empty: use main_feature
  };
  explicit FeatureGroups(std::vector<Entry> entries) : entries_(std::move(entries)) {}
  const Entry* Find(v1::FeatureGroup group) const;

  std::vector<Entry> entries_;
};

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_FEATURE_GROUP_H_
