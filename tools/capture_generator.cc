#include "tools/capture_generator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tools/internal/capture_writer.h"
#include "tools/internal/simulation.h"

namespace kepler::model::tools {
namespace {

using internal::CaptureWriter;
using internal::ContainerSpec;
using internal::Labels;
using internal::Simulation;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One series waiting to be written: values from sample `first` on.
struct PendingSeries {
  Labels labels;
  size_t first = 0;
  std::vector<double> values;
  int decimals = 3;
};
using PendingCapture = std::map<std::string, std::vector<PendingSeries>>;  // sorted by query

// The labels Prometheus adds when scraping the Kepler exporter (as in idle.json).
Labels ScrapeLabels(const Simulation& sim, const std::string& query) {
  return {{"__name__", query},           {"container", "kepler-exporter"},
          {"endpoint", "http"},          {"instance", sim.instance},
          {"job", "kepler-exporter"},    {"namespace", "kepler"},
          {"pod", sim.exporter_pod},     {"service", "kepler-exporter"}};
}

// Counter values at samples [first, last] from per-interval rates; restarts from 0 at `restart`.
std::vector<double> Counter(const Simulation& sim, size_t first, size_t last, double initial,
                            const std::vector<double>& rates) {
  std::vector<double> values = {initial};
  for (size_t k = first + 1; k <= last; ++k) {
    double before = static_cast<int>(k) == sim.restart ? 0.0 : values.back();
    values.push_back(before + rates[k] * sim.step);
  }
  return values;
}

void AddContainers(const Simulation& sim, internal::Random* random, PendingCapture* capture,
                   GroundTruth* truth) {
  for (size_t f = 0; f < internal::kFeatures.size(); ++f) {
    const std::string feature = internal::kFeatures[f];
    const std::string query = absl::StrCat("kepler_container_", feature, "_total");
    for (size_t c = 0; c < sim.containers.size(); ++c) {
      const ContainerSpec& spec = sim.containers[c];
      std::vector<double> rates(sim.times.size(), kNaN);
      for (size_t k = spec.first + 1; k <= spec.last; ++k) {
        rates[k] = internal::FeatureRate(spec, sim.usage[c][k], f);
      }
      double initial = spec.first == 0 ? rates[1] * random->Uniform(200, 2000) : 0.0;
      Labels labels = ScrapeLabels(sim, query);
      labels.insert(labels.end(), {{"container_id", spec.id},
                                   {"container_name", spec.name},
                                   {"container_namespace", spec.ns},
                                   {"pod_name", spec.pod}});
      (*capture)[query].push_back({std::move(labels), spec.first,
                                   Counter(sim, spec.first, spec.last, initial, rates),
                                   internal::FeatureDecimals(f)});
      truth->container_rates[spec.IdText()][feature] = std::move(rates);
    }
  }
}

// Energy counters of one component (per package unless `package` < 0) in both modes.
void AddEnergy(const Simulation& sim, const std::string& component, const std::string& source,
               int package, const internal::PowerSeries& power, internal::Random* random,
               PendingCapture* capture) {
  const std::string query = absl::StrCat("kepler_node_", component, "_joules_total");
  for (const char* mode : {"dynamic", "idle"}) {
    const std::vector<double>& watts = mode[0] == 'd' ? power.measured_dynamic : power.idle;
    Labels labels = ScrapeLabels(sim, query);
    labels.insert(labels.end(), {{"exported_instance", sim.instance},
                                 {"mode", mode},
                                 {"source", source}});
    if (package >= 0) labels.push_back({"package", absl::StrCat(package)});
    double initial = random->Uniform(3000, 9000);
    (*capture)[query].push_back({std::move(labels), 0,
                                 Counter(sim, 0, sim.times.size() - 1, initial, watts), 3});
  }
}

void AddNodePower(const Simulation& sim, double noise, internal::Random* random,
                  PendingCapture* capture, GroundTruth* truth) {
  std::vector<std::vector<internal::PowerSeries>> per_package;  // [package][component]
  for (int p = 0; p < sim.packages; ++p) {
    per_package.push_back(internal::PackagePower(sim, p, noise, random));
    for (size_t i = 0; i < internal::kRaplComponents.size(); ++i) {
      const std::string& component = internal::kRaplComponents[i];
      AddEnergy(sim, component, "rapl-sysfs", p, per_package[p][i], random, capture);
      std::vector<double>& node = truth->node_power[component + "_power"];
      node.resize(sim.times.size(), 0.0);
      for (size_t k = 0; k < node.size(); ++k) node[k] += per_package[p][i].truth[k];
    }
  }
  internal::PowerSeries platform = internal::PlatformPower(sim, per_package, noise, random);
  AddEnergy(sim, "platform", "acpi", -1, platform, random, capture);
  truth->node_power["platform_power"] = platform.truth;
  for (auto& [name, watts] : truth->node_power) watts[0] = kNaN;
}

void AddNodeInfo(const Simulation& sim, int node_type, PendingCapture* capture) {
  Labels info = ScrapeLabels(sim, "kepler_node_info");
  info.push_back({"cpu_architecture", "Broadwell"});
  (*capture)["kepler_node_info"].push_back(
      {std::move(info), 0, std::vector<double>(sim.times.size(), 1.0), 0});
  (*capture)["kepler_node_node_info"].push_back(
      {ScrapeLabels(sim, "kepler_node_node_info"), 0,
       std::vector<double>(sim.times.size(), node_type), 0});
}

std::string Write(const Simulation& sim, const PendingCapture& capture) {
  CaptureWriter writer;
  for (const auto& [query, series] : capture) {
    writer.BeginQuery(query);
    for (const PendingSeries& s : series) {
      writer.AddSeries(s.labels, absl::MakeConstSpan(sim.times).subspan(s.first, s.values.size()),
                       s.values, s.decimals);
    }
  }
  return writer.Finish();
}

absl::Status Validate(const GeneratorOptions& options) {
  if (!(options.step_seconds > 0) || !(options.duration_seconds >= options.step_seconds)) {
    return absl::InvalidArgumentError("step must be > 0 and duration at least one step");
  }
  if (options.containers < 1) return absl::InvalidArgumentError("need at least 1 container");
  if (options.packages != 1 && options.packages != 2) {
    return absl::InvalidArgumentError("packages must be 1 or 2");
  }
  if (!(options.noise_watts >= 0)) return absl::InvalidArgumentError("noise must be >= 0");
  return absl::OkStatus();
}

void AppendArray(std::string* out, const std::vector<double>& values) {
  out->append("[");
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out->append(", ");
    if (std::isnan(values[i])) {
      out->append("null");
    } else {
      internal::AppendFixed(out, values[i], 9);
    }
  }
  out->append("]");
}

}  // namespace

absl::StatusOr<WorkloadProfile> ParseWorkloadProfile(absl::string_view name) {
  if (name == "idle") return WorkloadProfile::kIdle;
  if (name == "stepped") return WorkloadProfile::kStepped;
  if (name == "mixed") return WorkloadProfile::kMixed;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown workload \"", name, "\" (want idle, stepped or mixed)"));
}

absl::StatusOr<GeneratedCapture> GenerateCapture(const GeneratorOptions& options) {
  absl::Status valid = Validate(options);
  if (!valid.ok()) return valid;
  internal::Random random(options.seed);
  Simulation sim = internal::Simulate(options, &random);
  GeneratedCapture out;
  out.truth.timestamps = sim.times;
  if (sim.restart > 0) out.truth.reset_timestamps.push_back(sim.times[sim.restart]);
  for (const ContainerSpec& spec : sim.containers) {
    if (spec.system) out.truth.background_containers.push_back(spec.name);
  }
  PendingCapture capture;
  AddContainers(sim, &random, &capture, &out.truth);
  AddNodePower(sim, options.noise_watts, &random, &capture, &out.truth);
  AddNodeInfo(sim, options.node_type, &capture);
  out.json = Write(sim, capture);
  return out;
}

std::string TruthToJson(const GroundTruth& truth) {
  std::string out = "{\"timestamps\": ";
  AppendArray(&out, truth.timestamps);
  out.append(", \"node_power\": {");
  for (auto it = truth.node_power.begin(); it != truth.node_power.end(); ++it) {
    absl::StrAppend(&out, it == truth.node_power.begin() ? "" : ", ", "\"", it->first, "\": ");
    AppendArray(&out, it->second);
  }
  out.append("}, \"container_rates\": {");
  for (auto c = truth.container_rates.begin(); c != truth.container_rates.end(); ++c) {
    absl::StrAppend(&out, c == truth.container_rates.begin() ? "" : ", ", "\"", c->first,
                    "\": {");
    for (auto f = c->second.begin(); f != c->second.end(); ++f) {
      absl::StrAppend(&out, f == c->second.begin() ? "" : ", ", "\"", f->first, "\": ");
      AppendArray(&out, f->second);
    }
    out.append("}");
  }
  out.append("}, \"reset_timestamps\": ");
  AppendArray(&out, truth.reset_timestamps);
  out.append(", \"background_containers\": [");
  for (size_t i = 0; i < truth.background_containers.size(); ++i) {
    absl::StrAppend(&out, i ? ", " : "", "\"", truth.background_containers[i], "\"");
  }
  out.append("]}");
  return out;
}

}  // namespace kepler::model::tools
