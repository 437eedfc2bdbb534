#include "tools/internal/simulation.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace kepler::model::tools::internal {
namespace {

constexpr double kLevels[] = {0.05, 0.25, 0.5, 0.75, 1.0};
const char* const kDaemons[] = {"kube-proxy", "coredns", "etcd", "kindnet-cni"};
const char* const kWorkloads[] = {"stress-ng", "nginx", "redis", "fio", "iperf3", "postgres"};

ContainerSpec MakeContainer(int index, int system_count, const GeneratorOptions& options,
                            size_t samples, Random* random) {
  ContainerSpec spec;
  spec.system = index < system_count;
  spec.name = spec.system ? kDaemons[index]
                          : absl::StrCat(kWorkloads[index % 6], "-", index - system_count);
  spec.ns = spec.system ? "kube-system" : "workload";
  spec.id = random->Hex(64);
  spec.pod = absl::StrCat(spec.name, "-", random->Lower(5));
  spec.package = index % options.packages;
  spec.cores = spec.system ? random->Uniform(0.2, 0.5) : random->Uniform(0.5, 4.0);
  spec.ipc = random->Uniform(0.8, 2.0);
  spec.miss_ratio = random->Uniform(0.002, 0.02);
  spec.io = random->Uniform(0.05, 1.0);
  spec.net = random->Uniform(0.05, 1.0);
  spec.first = 0;
  spec.last = samples - 1;
  if (!spec.system && options.workload == WorkloadProfile::kMixed && samples > 4) {
    // Some run from the start, some to the end, each at least a fifth of the capture.
    size_t min_life = std::max<size_t>(2, samples / 5);
    if (random->Uniform() > 0.3) spec.first = static_cast<size_t>(random->Uniform() * samples / 2);
    size_t life = min_life + static_cast<size_t>(random->Uniform() * (samples - min_life));
    if (random->Uniform() > 0.3) spec.last = std::min(samples - 1, spec.first + life);
  }
  return spec;
}

std::vector<double> Usage(const ContainerSpec& spec, int index, const GeneratorOptions& options,
                          size_t samples, double step, Random* random) {
  std::vector<double> usage(samples, 0.0);
  size_t per_level = std::max<size_t>(1, static_cast<size_t>(std::round(60 / step)));
  double level = random->Uniform(0.05, 1.0);
  for (size_t k = spec.first + 1; k <= spec.last; ++k) {
    double jitter = random->Uniform(-1, 1);
    if (spec.system) {
      usage[k] = 0.03 * (1 + 0.3 * jitter);
    } else if (options.workload == WorkloadProfile::kIdle) {
      usage[k] = 0.004 * (1 + 0.3 * jitter);
    } else if (options.workload == WorkloadProfile::kStepped) {
      usage[k] = kLevels[((k - 1) / per_level + index) % 5] * (1 + 0.05 * jitter);
    } else {
      if (random->Uniform() < 1.0 / 15) level = random->Uniform(0.05, 1.0);
      usage[k] = level * (1 + 0.05 * jitter);
    }
  }
  return usage;
}

// Per interval: busy cores, cache misses/s and page-cache hits/s of the containers on `package`.
struct PackageLoad {
  std::vector<double> cores, misses, hits;
};

PackageLoad LoadOf(const Simulation& sim, int package) {
  size_t n = sim.times.size();
  PackageLoad load{std::vector<double>(n, 0), std::vector<double>(n, 0), std::vector<double>(n, 0)};
  for (size_t c = 0; c < sim.containers.size(); ++c) {
    const ContainerSpec& spec = sim.containers[c];
    if (spec.package != package) continue;
    for (size_t k = spec.first + 1; k <= spec.last; ++k) {
      double u = sim.usage[c][k];
      load.cores[k] += u * spec.cores;
      load.misses[k] += FeatureRate(spec, u, 5);
      load.hits[k] += FeatureRate(spec, u, 4);
    }
  }
  return load;
}

PowerSeries Series(const std::vector<double>& dynamic, double idle, double noise, Random* random) {
  PowerSeries out;
  size_t n = dynamic.size();
  out.idle.assign(n, idle);
  out.measured_dynamic.assign(n, 0);
  out.truth.assign(n, 0);
  out.idle[0] = 0;
  for (size_t k = 1; k < n; ++k) {
    out.truth[k] = idle + dynamic[k];
    double measured = dynamic[k] + (noise > 0 ? noise * random->Normal() : 0.0);
    out.measured_dynamic[k] = std::max(0.0, measured);
  }
  return out;
}

}  // namespace

uint64_t Random::Next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double Random::Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

double Random::Normal() {
  double u1 = 1.0 - Uniform();  // (0, 1]
  double u2 = Uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

std::string Random::Hex(int length) {
  std::string out;
  for (int i = 0; i < length; ++i) out.push_back("0123456789abcdef"[Next() % 16]);
  return out;
}

std::string Random::Lower(int length) {
  std::string out;
  for (int i = 0; i < length; ++i) out.push_back("abcdefghijklmnopqrstuvwxyz0123456789"[Next() % 36]);
  return out;
}

int FeatureDecimals(size_t feature) { return feature >= 5 ? 0 : 3; }

double FeatureRate(const ContainerSpec& spec, double u, size_t feature) {
  double cycles = u * spec.cores * 2.6e9;
  switch (feature) {
    case 0: return u * spec.io * 60;                               // bpf_block_irq
    case 1: return u * spec.cores * 1000;                          // bpf_cpu_time_ms
    case 2: return u * spec.net * 300;                             // bpf_net_rx_irq
    case 3: return u * spec.net * 200;                             // bpf_net_tx_irq
    case 4: return u * spec.io * 400;                              // bpf_page_cache_hit
    case 5: return cycles * spec.ipc * spec.miss_ratio;            // cache_miss
    case 6: return cycles;                                         // cpu_cycles
    default: return cycles * spec.ipc;                             // cpu_instructions
  }
}

Simulation Simulate(const GeneratorOptions& options, Random* random) {
  Simulation sim;
  size_t samples =
      static_cast<size_t>(std::floor(options.duration_seconds / options.step_seconds + 1e-9)) + 1;
  sim.step = options.step_seconds;
  sim.packages = options.packages;
  sim.instance = options.instance;
  sim.exporter_pod = absl::StrCat("kepler-exporter-", random->Lower(5));
  for (size_t k = 0; k < samples; ++k) sim.times.push_back(options.start_time + k * sim.step);
  int system_count = std::min(4, options.containers);
  for (int c = 0; c < options.containers; ++c) {
    sim.containers.push_back(MakeContainer(c, system_count, options, samples, random));
    sim.usage.push_back(Usage(sim.containers.back(), c, options, samples, sim.step, random));
  }
  if (options.workload == WorkloadProfile::kMixed && samples >= 6) {
    sim.restart = static_cast<int>(0.6 * (samples - 1));
  }
  return sim;
}

std::vector<PowerSeries> PackagePower(const Simulation& sim, int package, double noise,
                                      Random* random) {
  PackageLoad load = LoadOf(sim, package);
  size_t n = sim.times.size();
  std::vector<double> dynamic(n), core(n), uncore(n), dram(n);
  for (size_t k = 1; k < n; ++k) {
    dynamic[k] = 9 * load.cores[k] + 0.12 * load.cores[k] * load.cores[k];
    core[k] = 0.75 * dynamic[k];
    uncore[k] = 0.04 * dynamic[k];
    dram[k] = 4e-8 * load.misses[k] + 0.002 * load.hits[k];
  }
  return {Series(dynamic, 20, noise, random), Series(core, 0, noise, random),
          Series(uncore, 0.6, noise, random), Series(dram, 2.5, noise, random)};
}

PowerSeries PlatformPower(const Simulation& sim,
                          const std::vector<std::vector<PowerSeries>>& packages, double noise,
                          Random* random) {
  size_t n = sim.times.size();
  std::vector<double> dynamic(n, 0);
  double idle = 30;
  for (const auto& components : packages) {
    const PowerSeries& package = components[0];
    const PowerSeries& dram = components[3];
    idle += 1.1 * (package.idle[1] + dram.idle[1]);
    for (size_t k = 1; k < n; ++k) {
      dynamic[k] += 1.1 * (package.truth[k] - package.idle[k] + dram.truth[k] - dram.idle[k]);
    }
  }
  return Series(dynamic, idle, noise, random);
}

}  // namespace kepler::model::tools::internal
