// Energy sources, their power components and output types (contract §0.1).
//
// Kepler names energy sources loosely ("intel_rapl", "rapl-msr"); every transport normalises the
// source with NormalizeSource() before looking anything up, so the rest of the service sees the
// canonical names only.
#ifndef KEPLER_CORE_ENERGY_SOURCE_H_
#define KEPLER_CORE_ENERGY_SOURCE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "kepler/model/v1/types.pb.h"

namespace kepler::model::core {

inline constexpr absl::string_view kRaplSysfs = "rapl-sysfs";
inline constexpr absl::string_view kAcpi = "acpi";

// Every known energy source, in the reference's PowerSourceMap order.
const std::vector<std::string>& EnergySources();

// Components of `source` in their canonical order ("package", "core", "uncore", "dram" for the
// rapl family; "platform" for acpi, hmc and redfish). Empty for an unknown source.
const std::vector<std::string>& ComponentsOf(absl::string_view source);

// True when `source` is one of EnergySources().
bool IsKnownSource(absl::string_view source);

// Canonical source name: empty or anything containing "rapl" -> "rapl-sysfs"; the rest verbatim.
std::string NormalizeSource(absl::string_view source);

// "AbsPower"/"DynPower" <-> enum. Unknown names give nullopt.
absl::optional<v1::OutputType> ParseOutputType(absl::string_view name);
std::string OutputTypeName(v1::OutputType type);

// Both output types, AbsPower first.
const std::vector<v1::OutputType>& OutputTypes();

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_ENERGY_SOURCE_H_
