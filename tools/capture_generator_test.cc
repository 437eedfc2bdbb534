#include "tools/capture_generator.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "trainer/capture.h"
#include "trainer/extractor.h"
#include "trainer/isolator.h"
#include "trainer/profiler.h"

namespace kepler::model::tools {
namespace {

using trainer::Capture;
using trainer::ExtractOptions;
using trainer::FeatureTable;
using ::testing::ElementsAre;

GeneratedCapture MustGenerate(const GeneratorOptions& options) {
  auto generated = GenerateCapture(options);
  EXPECT_TRUE(generated.ok()) << generated.status();
  return *std::move(generated);
}

Capture MustParse(const std::string& json) {
  auto capture = Capture::Parse(json);
  EXPECT_TRUE(capture.ok()) << capture.status();
  return *std::move(capture);
}

FeatureTable MustExtract(const Capture& capture, const ExtractOptions& options) {
  auto table = trainer::MakeDefaultExtractor()->Extract(capture, options);
  EXPECT_TRUE(table.ok()) << table.status();
  return table.ok() ? *std::move(table) : FeatureTable();
}

size_t IndexOf(const GroundTruth& truth, double t) {
  return std::lower_bound(truth.timestamps.begin(), truth.timestamps.end(), t) -
         truth.timestamps.begin();
}

// "Within 0.1% of the truth", with a floor for the counters' written precision: 3 decimals (or
// integers for cycles, instructions and misses) over one step.
bool Close(double got, double truth, double quantum, double step) {
  return std::abs(got - truth) <= 1e-3 * std::abs(truth) + quantum / step;
}

double QuantumOf(const std::string& column) {
  return column == "cache_miss" || column == "cpu_cycles" || column == "cpu_instructions" ? 1.0
                                                                                          : 1e-3;
}

bool IsReset(const GroundTruth& truth, double t) {
  return std::count(truth.reset_timestamps.begin(), truth.reset_timestamps.end(), t) > 0;
}

// Every container-level row of every feature against the truth; counts rows checked.
int CheckContainerRates(const Capture& capture, const GroundTruth& truth, double step) {
  int checked = 0;
  for (v1::FeatureGroup group : {v1::BPFOnly, v1::CounterIRQCombined}) {
    ExtractOptions options;
    options.feature_group = group;
    options.node_level = false;
    FeatureTable table = MustExtract(capture, options);
    for (const std::string& feature : table.feature_columns) {
      const std::vector<double>& column = *table.Column(feature);
      for (size_t row = 0; row < table.num_rows(); ++row) {
        double expected =
            truth.container_rates.at(std::string(table.IdOf(row))).at(feature)[IndexOf(
                truth, table.timestamps[row])];
        if (IsReset(truth, table.timestamps[row])) continue;  // checked separately
        if (std::isnan(expected)) {
          EXPECT_EQ(column[row], 0) << "a container's first sample has rate 0";
          continue;
        }
        EXPECT_TRUE(Close(column[row], expected, QuantumOf(feature), step))
            << feature << " of " << table.IdOf(row) << " at " << table.timestamps[row] << ": "
            << column[row] << " vs " << expected;
        ++checked;
      }
    }
  }
  return checked;
}

// Node-level watts of `source` against the truth; counts values checked.
int CheckNodePower(const Capture& capture, const GroundTruth& truth, const std::string& source,
                   double step) {
  ExtractOptions options;
  options.energy_source = source;
  FeatureTable table = MustExtract(capture, options);
  EXPECT_EQ(table.num_rows(), truth.timestamps.size() - 1);  // every interval has a row
  int checked = 0;
  for (const std::string& name : table.power_columns) {
    for (size_t row = 0; row < table.num_rows(); ++row) {
      if (IsReset(truth, table.timestamps[row])) continue;
      double expected = truth.node_power.at(name)[IndexOf(truth, table.timestamps[row])];
      EXPECT_TRUE(Close((*table.Column(name))[row], expected, 1e-3, step))
          << name << " at " << table.timestamps[row] << ": " << (*table.Column(name))[row]
          << " vs " << expected;
      ++checked;
    }
  }
  return checked;
}

TEST(CaptureGeneratorTest, SameSeedSameBytes) {
  GeneratorOptions options;
  options.workload = WorkloadProfile::kMixed;
  EXPECT_EQ(MustGenerate(options).json, MustGenerate(options).json);
  GeneratorOptions other = options;
  other.seed = 2;
  EXPECT_NE(MustGenerate(other).json, MustGenerate(options).json);
}

TEST(CaptureGeneratorTest, UsesTheMetricAndLabelNamesOfIdleJson) {
  auto idle = Capture::ReadFile("testdata/prom/idle.json");
  ASSERT_TRUE(idle.ok()) << idle.status();
  Capture generated = MustParse(MustGenerate({}).json);
  int compared = 0;
  for (const std::string& query : generated.QueryNames()) {
    if (query == "kepler_node_node_info") continue;  // what the reference trainer reads
    const trainer::SeriesTable* real = idle->Find(query);
    ASSERT_NE(real, nullptr) << query << " is not a metric of idle.json";
    auto names = [](const trainer::SeriesTable& table) {
      std::set<std::string> out;
      for (const auto& label : table.Labels(0)) out.insert(std::string(label.first));
      return out;
    };
    EXPECT_EQ(names(*generated.Find(query)), names(*real)) << query;
    ++compared;
  }
  EXPECT_EQ(compared, 8 + 5 + 1);  // container counters, energy components, kepler_node_info
}

TEST(CaptureGeneratorTest, ExtractorRecoversTheTruthWithinAPointOnePercent) {
  GeneratorOptions options;
  options.duration_seconds = 600;
  options.containers = 12;
  options.packages = 2;
  options.noise_watts = 0;
  GeneratedCapture generated = MustGenerate(options);
  Capture capture = MustParse(generated.json);
  EXPECT_EQ(CheckContainerRates(capture, generated.truth, options.step_seconds),
            12 * 8 * 200);  // every container, feature and interval
  EXPECT_EQ(CheckNodePower(capture, generated.truth, "rapl-sysfs", options.step_seconds), 4 * 200);
  EXPECT_EQ(CheckNodePower(capture, generated.truth, "acpi", options.step_seconds), 200);
}

TEST(CaptureGeneratorTest, MixedWorkloadStartsStopsAndResetsCounters) {
  GeneratorOptions options;
  options.duration_seconds = 900;
  options.containers = 15;
  options.workload = WorkloadProfile::kMixed;
  options.noise_watts = 0;
  options.seed = 7;
  GeneratedCapture generated = MustGenerate(options);
  ASSERT_EQ(generated.truth.reset_timestamps.size(), 1u);
  Capture capture = MustParse(generated.json);
  int checked = CheckContainerRates(capture, generated.truth, options.step_seconds);
  EXPECT_GT(checked, 0);
  EXPECT_LT(checked, 15 * 8 * 300);  // containers come and go
  CheckNodePower(capture, generated.truth, "rapl-sysfs", options.step_seconds);
  // At the restart every delta is negative: the row repeats the previous row (contract §5.3).
  FeatureTable node = MustExtract(capture, {});
  double reset = generated.truth.reset_timestamps[0];
  size_t row = std::find(node.timestamps.begin(), node.timestamps.end(), reset) -
               node.timestamps.begin();
  ASSERT_LT(row, node.num_rows());
  ASSERT_GT(row, 0u);
  for (const std::string& name : node.power_columns) {
    EXPECT_EQ((*node.Column(name))[row], (*node.Column(name))[row - 1]) << name;
  }
}

TEST(CaptureGeneratorTest, SensorNoiseIsUnbiased) {
  GeneratorOptions options;
  options.duration_seconds = 1800;
  options.noise_watts = 2;
  GeneratedCapture generated = MustGenerate(options);
  FeatureTable node = MustExtract(MustParse(generated.json), {});
  double sum = 0, squares = 0;
  const std::vector<double>& package = *node.Column("package_power");
  for (size_t row = 0; row < node.num_rows(); ++row) {
    double error = package[row] - generated.truth.node_power.at("package_power")[row + 1];
    sum += error;
    squares += error * error;
  }
  double n = node.num_rows();
  EXPECT_NEAR(sum / n, 0, 0.3);
  EXPECT_NEAR(std::sqrt(squares / n), 2, 0.3);
}

TEST(CaptureGeneratorTest, NodeTypeAndValidGroups) {
  GeneratorOptions options;
  options.node_type = 3;
  Capture capture = MustParse(MustGenerate(options).json);
  EXPECT_THAT(*MustExtract(capture, {}).Column("node_type"), ::testing::Each(3.0));
  EXPECT_THAT(trainer::ValidFeatureGroups(capture, core::FeatureGroups::Default()),
              ElementsAre(v1::CounterOnly, v1::BPFOnly, v1::BPFIRQ, v1::CounterIRQCombined,
                          v1::Basic));
}

TEST(CaptureGeneratorTest, IdleProfileIsolatesTheDynamicPowerOfALoadedRun) {
  GeneratorOptions options;
  options.noise_watts = 0;
  options.workload = WorkloadProfile::kIdle;
  auto profiles = trainer::ProfileIdle(MustParse(MustGenerate(options).json));
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  options.workload = WorkloadProfile::kStepped;
  GeneratedCapture loaded = MustGenerate(options);
  ExtractOptions extract;
  extract.node_level = false;
  FeatureTable input = MustExtract(MustParse(loaded.json), extract);
  auto isolated = trainer::MakeProfileIsolator(*profiles, loaded.truth.background_containers)
                      ->Isolate(input, "rapl-sysfs");
  ASSERT_TRUE(isolated.ok()) << isolated.status();
  EXPECT_EQ(isolated->num_columns(), input.num_columns());
  ASSERT_EQ(isolated->num_rows(), 100u);
  double background = *profiles->at("rapl-sysfs").BackgroundWatts("package", 0);
  for (size_t row = 0; row < isolated->num_rows(); ++row) {
    double node = loaded.truth.node_power.at("package_power")[row + 1];
    EXPECT_NEAR((*isolated->Column("package_power"))[row], node - background, 1e-3);
    EXPECT_GT((*isolated->Column("package_power"))[row], 0);  // loaded runs draw more than idle
  }
}

TEST(CaptureGeneratorTest, RejectsBadOptions) {
  GeneratorOptions options;
  options.packages = 3;
  EXPECT_EQ(GenerateCapture(options).status().code(), absl::StatusCode::kInvalidArgument);
  options = {};
  options.step_seconds = 0;
  EXPECT_FALSE(GenerateCapture(options).ok());
  options = {};
  options.containers = 0;
  EXPECT_FALSE(GenerateCapture(options).ok());
  EXPECT_FALSE(ParseWorkloadProfile("busy").ok());
  EXPECT_EQ(*ParseWorkloadProfile("mixed"), WorkloadProfile::kMixed);
}

TEST(CaptureGeneratorTest, TruthJsonWritesNullForMissingRates) {
  GeneratorOptions options;
  options.duration_seconds = 6;
  options.containers = 1;
  std::string json = TruthToJson(MustGenerate(options).truth);
  EXPECT_THAT(json, ::testing::StartsWith("{\"timestamps\": [1702462599, 1702462602, 1702462605]"));
  EXPECT_THAT(json, ::testing::HasSubstr("\"package_power\": [null, "));
  EXPECT_THAT(json, ::testing::HasSubstr("\"background_containers\": [\"kube-proxy\"]"));
}

}  // namespace
}  // namespace kepler::model::tools
