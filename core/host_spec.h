// The machine spec of the host this process runs on (contract §1.6, kepler-clients §1.3).
//
// The estimator sends it to the model server so that a model of the right node type is chosen,
// and divides the host's logical CPUs by a model's machine cores for `core_ratio`. Discovery
// reads /proc/cpuinfo and /proc/meminfo the way Kepler does; an explicit spec file
// (--machine-spec, or /etc/kepler/models/machine/spec.json) wins over discovery.
#ifndef KEPLER_CORE_HOST_SPEC_H_
#define KEPLER_CORE_HOST_SPEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/node_type.h"
#include "kepler/model/v1/types.pb.h"

namespace kepler::model::core {

struct HostSpec {
  // processor, cores (logical CPUs), chips, memory (GiB), frequency (MHz, rounded to 100).
  NodeSpec spec;
  // First word of the CPU vendor id, lower-cased, e.g. "genuineintel".
  std::string vendor;
  int threads_per_core = 0;
  // Logical CPUs actually seen, whatever the spec says: the numerator of core_ratio.
  int logical_cpus = 0;

  // As the proto clients send (vendor and threads_per_core included).
  v1::MachineSpec ToProto() const;
};

// Kepler's processor normalisation: "Intel(R) Xeon(R) CPU E5-2686 v4 @ 2.30GHz" ->
// "intel_xeon_e5_2686v4": marks, "CPU", "Processor", the "@ frequency" part and parenthesised
// parts removed, lower-cased, spaces and '-' to '_', "_v" to "v".
std::string NormalizeProcessorName(absl::string_view brand);

// Builds a spec from the text of /proc/cpuinfo and /proc/meminfo.
HostSpec HostSpecFromProc(absl::string_view cpuinfo, absl::string_view meminfo);

// Reads this host's spec: `spec_file` when non-empty (JSON as in tests/data/machine/spec.json),
// else /etc/kepler/models/machine/spec.json when present, else discovery. logical_cpus always
// comes from discovery. An unreadable or malformed explicit file is an error.
absl::StatusOr<HostSpec> ReadHostSpec(const std::string& spec_file);

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_HOST_SPEC_H_
