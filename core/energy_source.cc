#include "core/energy_source.h"

#include <utility>

#include "absl/strings/match.h"

namespace kepler::model::core {
namespace {

using SourceTable = std::vector<std::pair<std::string, std::vector<std::string>>>;

const SourceTable& Table() {
  static const auto* table = new SourceTable{
      {"rapl-sysfs", {"package", "core", "uncore", "dram"}},
      {"rapl-msr", {"package", "core", "uncore", "dram"}},
      {"acpi", {"platform"}},
      {"hmc", {"platform"}},
      {"redfish", {"platform"}},
      {"trained_power_model", {"package", "core", "uncore", "dram"}},
  };
  return *table;
}

}  // namespace

const std::vector<std::string>& EnergySources() {
  static const auto* names = [] {
    auto* out = new std::vector<std::string>;
    for (const auto& [name, components] : Table()) out->push_back(name);
    return out;
  }();
  return *names;
}

const std::vector<std::string>& ComponentsOf(absl::string_view source) {
  static const auto* kNone = new std::vector<std::string>;
  for (const auto& [name, components] : Table()) {
    if (name == source) return components;
  }
  return *kNone;
}

bool IsKnownSource(absl::string_view source) { return !ComponentsOf(source).empty(); }

std::string NormalizeSource(absl::string_view source) {
  if (source.empty() || absl::StrContains(source, "rapl")) return std::string(kRaplSysfs);
  return std::string(source);
}

absl::optional<v1::OutputType> ParseOutputType(absl::string_view name) {
  if (name == "AbsPower") return v1::AbsPower;
  if (name == "DynPower") return v1::DynPower;
  return absl::nullopt;
}

std::string OutputTypeName(v1::OutputType type) {
  switch (type) {
    case v1::AbsPower:
      return "AbsPower";
    case v1::DynPower:
      return "DynPower";
    default:
      return "";
  }
}

const std::vector<v1::OutputType>& OutputTypes() {
  static const auto* types = new std::vector<v1::OutputType>{v1::AbsPower, v1::DynPower};
  return *types;
}

}  // namespace kepler::model::core
