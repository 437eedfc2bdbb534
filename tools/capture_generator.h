// A deterministic generator of realistic Kepler Prometheus captures, with their ground truth.
//
// What: GenerateCapture() writes a capture in the offline trainer's format (query name -> series,
// as tests/data/prom_output/idle.json, with the same metric and label names) for one node:
// per-container usage counters (`kepler_container_<f>_total` for the eight bpf/counter/irq
// features), node energy counters (`kepler_node_{package,core,uncore,dram}_joules_total` with
// source rapl-sysfs per package and mode, `kepler_node_platform_joules_total` with source acpi per
// mode), `kepler_node_info` (value 1, as real Kepler) and `kepler_node_node_info` (value = the
// node type, the metric the reference trainer reads). Alongside it returns the noiseless truth:
// node watts per component and every container's rate per feature, per sample.
// Why: tests and benchmarks need captures of any size with known answers (the reference's
// loaded-run fixture is not available), and the extractor must be scored against the truth.
// How: containers have a usage level per sampling interval (workload profile `idle`, `stepped`
// stress levels, or `mixed` with containers starting and stopping and one Kepler restart that
// resets every counter); features are rates proportional to usage with per-container traits;
// power is a fixed function of usage (package ~ cores busy, core/uncore/dram from it and cache
// misses, platform = fans + PSU losses over packages and dram), split into `idle` and `dynamic`
// modes; Gaussian sensor noise (noise_watts) is added to the measured dynamic power only.
// Counters are written with 3 decimals (integers for cycles, instructions, cache misses), so a
// rate over a step is exact to about 1e-3 / step. All randomness comes from `seed` through a
// portable generator (splitmix64, no std distributions): the same options give the same bytes
// (only the noise's libm log/cos could differ in a last bit on another platform).
//
// Thread-safety: pure functions.
#ifndef KEPLER_TOOLS_CAPTURE_GENERATOR_H_
#define KEPLER_TOOLS_CAPTURE_GENERATOR_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kepler::model::tools {

enum class WorkloadProfile {
  kIdle,     // only background levels: every container nearly idle
  kStepped,  // workload containers cycle through stress levels 5% .. 100%, one step per minute
  kMixed,    // workload containers start and stop, change levels at random; one Kepler restart
};

// "idle", "stepped", "mixed"; nullopt-like InvalidArgument otherwise.
absl::StatusOr<WorkloadProfile> ParseWorkloadProfile(absl::string_view name);

struct GeneratorOptions {
  uint64_t seed = 1;
  // Time of the first sample (seconds) and the sampling step; samples every step over duration
  // (duration / step + 1 samples).
  double start_time = 1702462599;
  double duration_seconds = 300;
  double step_seconds = 3;
  // Containers in all. The first min(4, containers) are system daemons (kube-proxy, coredns, ...)
  // that run in every profile; the rest are workload containers.
  int containers = 10;
  // CPU packages: 1 or 2 (the `package` label of rapl counters).
  int packages = 1;
  // Value of kepler_node_node_info.
  int node_type = 0;
  WorkloadProfile workload = WorkloadProfile::kStepped;
  // Standard deviation (watts) of the sensor noise on each dynamic power reading. 0: exact.
  double noise_watts = 0.5;
  // `instance` / `exported_instance` label.
  std::string instance = "kind-generated-control-plane";
};

// The noiseless answers, one entry per sample (index-aligned with `timestamps`). NaN where there
// is no answer: the first sample of the capture (no interval yet) and of each container.
struct GroundTruth {
  std::vector<double> timestamps;
  // "package_power", "core_power", "uncore_power", "dram_power" (summed over packages) and
  // "platform_power": watts over (t[i-1], t[i]].
  std::map<std::string, std::vector<double>> node_power;
  // container id ("<container_id>/<pod_name>/<container_name>/<container_namespace>") -> feature
  // (e.g. "bpf_cpu_time_ms") -> rate per second over (t[i-1], t[i]].
  std::map<std::string, std::map<std::string, std::vector<double>>> container_rates;
  // Samples at which every counter had restarted from zero (Kepler restarts).
  std::vector<double> reset_timestamps;
  // Names of the system-daemon containers (background in every profile).
  std::vector<std::string> background_containers;
};

struct GeneratedCapture {
  std::string json;  // the capture
  GroundTruth truth;
};

// InvalidArgument for a non-positive step or duration, fewer than 1 container, packages other
// than 1 or 2, or a negative noise.
[[nodiscard]] absl::StatusOr<GeneratedCapture> GenerateCapture(const GeneratorOptions& options);

// The truth as JSON: {"timestamps": [...], "node_power": {col: [...]}, "container_rates":
// {id: {feature: [...]}}, "reset_timestamps": [...], "background_containers": [...]}; NaN is
// written as null.
std::string TruthToJson(const GroundTruth& truth);

}  // namespace kepler::model::tools

#endif  // KEPLER_TOOLS_CAPTURE_GENERATOR_H_
