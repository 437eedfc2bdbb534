#include "core/feature_group.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"

namespace kepler::model::core {
namespace {

const std::vector<std::string> kCounter = {"cache_miss", "cpu_cycles", "cpu_instructions"};
const std::vector<std::string> kBpf = {"bpf_cpu_time_ms", "bpf_page_cache_hit"};
const std::vector<std::string> kIrq = {"bpf_block_irq", "bpf_net_rx_irq", "bpf_net_tx_irq"};
const std::vector<std::string> kAccelerator = {"accelerator_intel_qat"};
const std::vector<std::string> kSystem = {"node_info", "cpu_scaling_frequency_hertz"};

std::vector<std::string> SortedUnion(std::initializer_list<const std::vector<std::string>*> parts) {
  std::vector<std::string> out;
  for (const auto* part : parts) out.insert(out.end(), part->begin(), part->end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

const std::vector<std::pair<v1::FeatureGroup, const char*>>& Names() {
  static const auto* names = new std::vector<std::pair<v1::FeatureGroup, const char*>>{
      {v1::Full, "Full"},
      {v1::WorkloadOnly, "WorkloadOnly"},
      {v1::CounterOnly, "CounterOnly"},
      {v1::BPFOnly, "BPFOnly"},
      {v1::IRQOnly, "IRQOnly"},
      {v1::CounterIRQCombined, "CounterIRQCombined"},
      {v1::Basic, "Basic"},
      {v1::BPFIRQ, "BPFIRQ"},
      {v1::AcceleratorOnly, "AcceleratorOnly"},
      {v1::ThirdParty, "ThirdParty"},
      {v1::Unknown, "Unknown"},
  };
  return *names;
}

}  // namespace

const std::vector<std::string>& SystemFeatures() { return kSystem; }

const std::vector<std::string>& WorkloadFeatures() {
  static const auto* features = [] {
    auto* out = new std::vector<std::string>(kCounter);
    for (const auto* part : {&kBpf, &kIrq, &kAccelerator}) {
      out->insert(out->end(), part->begin(), part->end());
    }
    return out;
  }();
  return *features;
}

absl::optional<v1::FeatureGroup> ParseFeatureGroup(absl::string_view name) {
  for (const auto& [group, group_name] : Names()) {
    if (name == group_name) return group;
  }
  return absl::nullopt;
}

std::string FeatureGroupName(v1::FeatureGroup group) {
  for (const auto& [candidate, name] : Names()) {
    if (candidate == group) return name;
  }
  return "";
}

const FeatureGroups& FeatureGroups::Default() {
  static const auto* groups = new FeatureGroups({
      {v1::Full, SortedUnion({&WorkloadFeatures(), &kSystem}), "cpu_instructions", "cache_miss"},
      {v1::WorkloadOnly, SortedUnion({&WorkloadFeatures()}), "cpu_instructions", "cache_miss"},
      {v1::CounterOnly, SortedUnion({&kCounter}), "cpu_instructions", "cache_miss"},
      {v1::BPFOnly, SortedUnion({&kBpf}), "bpf_cpu_time_ms", "bpf_page_cache_hit"},
      {v1::BPFIRQ, SortedUnion({&kBpf, &kIrq}), "bpf_cpu_time_ms", "bpf_page_cache_hit"},
      {v1::CounterIRQCombined, SortedUnion({&kCounter, &kIrq}), "cpu_instructions", "cache_miss"},
      {v1::Basic, SortedUnion({&kCounter, &kBpf}), "cpu_instructions", "cache_miss"},
      {v1::AcceleratorOnly, SortedUnion({&kAccelerator}), "accelerator_intel_qat", ""},
  });
  return *groups;
}

FeatureGroups FeatureGroups::WithThirdParty(std::vector<std::string> metrics) {
  std::vector<Entry> entries = Default().entries_;
  std::vector<std::string> third = SortedUnion({&metrics});
  if (third.empty()) return FeatureGroups(std::move(entries));
  for (Entry& entry : entries) {
    if (entry.group == v1::WorkloadOnly) entry.features = SortedUnion({&entry.features, &third});
  }
  // The first third-party metric plays the main feature for curve-fit models.
  entries.push_back({v1::ThirdParty, third, metrics.front(), ""});
  return FeatureGroups(std::move(entries));
}

std::vector<v1::FeatureGroup> FeatureGroups::Groups() const {
  std::vector<v1::FeatureGroup> out;
  for (const Entry& entry : entries_) out.push_back(entry.group);
  return out;
}

const FeatureGroups::Entry* FeatureGroups::Find(v1::FeatureGroup group) const {
  for (const Entry& entry : entries_) {
    if (entry.group == group) return &entry;
  }
  return nullptr;
}

const std::vector<std::string>& FeatureGroups::FeaturesOf(v1::FeatureGroup group) const {
  static const auto* kNone = new std::vector<std::string>;
  const Entry* entry = Find(group);
  return entry ? entry->features : *kNone;
}

std::vector<v1::FeatureGroup> FeatureGroups::ValidGroups(
    const std::vector<std::string>& metrics) const {
  absl::flat_hash_set<absl::string_view> have(metrics.begin(), metrics.end());
  std::vector<v1::FeatureGroup> out;
  for (const Entry& entry : entries_) {
    bool all = std::all_of(entry.features.begin(), entry.features.end(),
                           [&](const std::string& f) { return have.contains(f); });
    if (all) out.push_back(entry.group);
  }
  return out;
}

int FeatureGroups::MainFeatureIndex(v1::FeatureGroup group, absl::string_view component) const {
  const Entry* entry = Find(group);
  if (entry == nullptr) return -1;
  const std::string& wanted = (component == "dram" && !entry->dram_feature.empty())
                                  ? entry->dram_feature
                                  : entry->main_feature;
  auto it = std::find(entry->features.begin(), entry->features.end(), wanted);
  return it == entry->features.end() ? -1 : static_cast<int>(it - entry->features.begin());
}

}  // namespace kepler::model::core
