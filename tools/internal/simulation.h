// The node model behind the capture generator (internal to //tools:capture_generator): containers
// with traits and lifetimes, their usage per sampling interval, feature rates, and power.
//
// Interval k (k >= 1) is (t[k-1], t[k]]; per-interval vectors have one entry per sample and leave
// index 0 unused. A container is alive over samples [first, last], so it has rates for intervals
// first+1 .. last.
//
// Thread-safety: pure functions; a Random is used by one thread.
#ifndef KEPLER_TOOLS_INTERNAL_SIMULATION_H_
#define KEPLER_TOOLS_INTERNAL_SIMULATION_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "tools/capture_generator.h"

namespace kepler::model::tools::internal {

// splitmix64 with explicit uniform and normal transforms, so no std distribution (whose output is
// implementation-defined) decides the data.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  double Uniform();  // [0, 1)
  double Uniform(double low, double high) { return low + (high - low) * Uniform(); }
  double Normal();   // mean 0, standard deviation 1 (Box-Muller)
  std::string Hex(int length);
  std::string Lower(int length);  // lowercase letters and digits

 private:
  uint64_t state_;
};

// The eight container features, sorted (so their queries are too).
inline const std::array<std::string, 8> kFeatures = {
    "bpf_block_irq",      "bpf_cpu_time_ms", "bpf_net_rx_irq", "bpf_net_tx_irq",
    "bpf_page_cache_hit", "cache_miss",      "cpu_cycles",     "cpu_instructions"};
inline const std::array<std::string, 4> kRaplComponents = {"package", "core", "uncore", "dram"};

// Decimal places a feature's counter is written with (0 for cycles, instructions, misses).
int FeatureDecimals(size_t feature);

struct ContainerSpec {
  std::string id, pod, name, ns;
  bool system = false;  // a daemon present in every profile
  int package = 0;      // the package its threads run on
  double cores = 1;     // cores busy at usage 1
  double ipc = 1, miss_ratio = 0.01, io = 0.5, net = 0.5;
  size_t first = 0, last = 0;  // alive samples
  std::string IdText() const { return id + "/" + pod + "/" + name + "/" + ns; }
};

struct Simulation {
  std::vector<double> times;
  double step = 3;
  int packages = 1;
  int restart = -1;  // sample at which every counter restarted from 0 (Kepler restart), or -1
  std::string instance, exporter_pod;
  std::vector<ContainerSpec> containers;
  std::vector<std::vector<double>> usage;  // [container][interval]: 0 when not alive
};

Simulation Simulate(const GeneratorOptions& options, Random* random);

// Rate per second of `feature` (index into kFeatures) at usage `u`.
double FeatureRate(const ContainerSpec& spec, double u, size_t feature);

// Power of one series per interval: the idle part, the dynamic part as measured (noise added,
// never below 0), and the noiseless total.
struct PowerSeries {
  std::vector<double> idle, measured_dynamic, truth;
};

// Package `package`'s rapl components in kRaplComponents order.
std::vector<PowerSeries> PackagePower(const Simulation& sim, int package, double noise,
                                      Random* random);
// Platform (acpi) power from the packages' power: fans and disks plus PSU losses.
PowerSeries PlatformPower(const Simulation& sim,
                          const std::vector<std::vector<PowerSeries>>& packages, double noise,
                          Random* random);

}  // namespace kepler::model::tools::internal

#endif  // KEPLER_TOOLS_INTERNAL_SIMULATION_H_
