#include "trainer/extractor.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/energy_source.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::trainer {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pointwise;

constexpr double kTol = 1e-6;

const Capture& Idle() {
  static const Capture* capture = [] {
    auto parsed = Capture::ReadFile("testdata/prom/idle.json");
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return new Capture(std::move(*parsed));
  }();
  return *capture;
}

FeatureTable MustExtract(const Capture& capture, const ExtractOptions& options,
                         absl::string_view extractor = "default") {
  auto made = MakeExtractor(extractor);
  EXPECT_TRUE(made.ok());
  auto table = (*made)->Extract(capture, options);
  EXPECT_TRUE(table.ok()) << table.status();
  if (!table.ok()) return {};
  EXPECT_TRUE(table->Validate().ok()) << table->Validate();
  return *std::move(table);
}

TEST(ExtractorTest, NodeLevelBpfOnlyOnIdleMatchesTheContract) {
  FeatureTable table = MustExtract(Idle(), {});
  EXPECT_THAT(table.column_names,
              ElementsAre("bpf_cpu_time_ms", "bpf_page_cache_hit", "package_power", "core_power",
                          "uncore_power", "dram_power", "node_type", "packge_ratio_package"));
  EXPECT_THAT(table.feature_columns, ElementsAre("bpf_cpu_time_ms", "bpf_page_cache_hit"));
  EXPECT_THAT(table.power_columns,
              ElementsAre("package_power", "core_power", "uncore_power", "dram_power"));
  EXPECT_FALSE(table.has_ids);
  // 7 timestamps: the first has no rate, the last (1702462686) has all power deltas 0.
  EXPECT_THAT(table.timestamps,
              ElementsAre(1702462614, 1702462629, 1702462650, 1702462665, 1702462683));
  std::vector<double> first_row;
  for (const auto& column : table.columns) first_row.push_back(column[0]);
  // Reference (mean gap 14.5 s, §11.15): package 137.175793, dram 57.868276. Per-row gaps: the
  // same joules over the row's own 15 s: package 1989.049 J / 15 s, dram 839.09 J / 15 s.
  EXPECT_THAT(first_row, Pointwise(DoubleNear(kTol), {335.8, 3.0666667, 132.6032667, 0.0, 0.0,
                                                      55.9393333, 0.0, 1.0}));
  EXPECT_NEAR((*table.Column("package_power"))[2], 93.8655714, kTol);  // a 21 s gap
  EXPECT_NEAR((*table.Column("bpf_cpu_time_ms"))[3], 660.9333333, kTol);
}

TEST(ExtractorTest, ContainerLevelOnIdleHas211RowsSortedByTimeThenId) {
  ExtractOptions options;
  options.node_level = false;
  FeatureTable table = MustExtract(Idle(), options);
  EXPECT_EQ(table.num_rows(), 211u);
  EXPECT_TRUE(table.has_ids);
  EXPECT_EQ(table.num_columns(), 8u);
  for (size_t row = 1; row < table.num_rows(); ++row) {
    ASSERT_LE(table.timestamps[row - 1], table.timestamps[row]);
    if (table.timestamps[row - 1] == table.timestamps[row]) {
      ASSERT_LT(table.IdOf(row - 1), table.IdOf(row));
    }
  }
  const std::string exporter =
      "2a9f66d97ee76d0e353eaf3d9188f8293eb621fb4170cb237eb4b4d5939344dd/kepler-exporter-lw9fx/"
      "kepler-exporter/kepler";
  bool found = false;
  for (size_t row = 0; row < table.num_rows(); ++row) {
    if (table.IdOf(row) != exporter || table.timestamps[row] != 1702462614) continue;
    found = true;
    EXPECT_NEAR((*table.Column("bpf_cpu_time_ms"))[row], 0.8666667, kTol);
    EXPECT_NEAR((*table.Column("package_power"))[row], 132.6032667, kTol);
  }
  EXPECT_TRUE(found);
  // Summing the container rows of a timestamp gives the node-level features.
  double sum = 0;
  for (size_t row = 0; row < table.num_rows(); ++row) {
    if (table.timestamps[row] == 1702462614) sum += (*table.Column("bpf_cpu_time_ms"))[row];
  }
  EXPECT_NEAR(sum, 335.8, kTol);
}

TEST(ExtractorTest, AcpiNodeLevelHasPlatformPowerAndNoRatio) {
  ExtractOptions options;
  options.energy_source = "acpi";
  FeatureTable table = MustExtract(Idle(), options);
  EXPECT_THAT(table.column_names, ElementsAre("bpf_cpu_time_ms", "bpf_page_cache_hit",
                                              "platform_power", "node_type"));
  // Reference (mean gap): 118.551724 W; per-row gap: 1719 J / 15 s.
  EXPECT_NEAR((*table.Column("platform_power"))[0], 114.6, kTol);
  EXPECT_EQ(table.num_rows(), 5u);
}

TEST(ExtractorTest, ValidGroupsOfIdleAreTheContractsFive) {
  EXPECT_THAT(ValidFeatureGroups(Idle(), core::FeatureGroups::Default()),
              ElementsAre(v1::CounterOnly, v1::BPFOnly, v1::BPFIRQ, v1::CounterIRQCombined,
                          v1::Basic));
}

// The reference's extractor_test: every valid group, both extractors, node and container level:
// len(components) + len(features) + 2 columns (node_type and the package ratio).
TEST(ExtractorTest, EveryValidGroupHasComponentsPlusFeaturesPlusTwoColumns) {
  const auto& groups = core::FeatureGroups::Default();
  for (v1::FeatureGroup group : ValidFeatureGroups(Idle(), groups)) {
    for (bool node_level : {true, false}) {
      for (const char* extractor : {"default", "smooth"}) {
        ExtractOptions options;
        options.feature_group = group;
        options.node_level = node_level;
        options.smooth_window = 2;  // idle.json has 5 rows per container at most
        FeatureTable table = MustExtract(Idle(), options, extractor);
        SCOPED_TRACE(absl::StrCat(core::FeatureGroupName(group), node_level, extractor));
        EXPECT_EQ(table.num_columns(), 4 + groups.FeaturesOf(group).size() + 2);
        EXPECT_NE(table.Column("node_type"), nullptr);
        EXPECT_GT(table.num_rows(), 0u);
      }
    }
  }
}

TEST(ExtractorTest, SmoothAveragesTheLastWindowRows) {
  ExtractOptions options;
  options.smooth_window = 2;
  FeatureTable table = MustExtract(Idle(), options, "smooth");
  ASSERT_EQ(table.num_rows(), 4u);
  EXPECT_EQ(table.timestamps[0], 1702462629);
  EXPECT_NEAR((*table.Column("bpf_cpu_time_ms"))[0], (335.8 + 292.6666667) / 2, kTol);
  EXPECT_NEAR((*table.Column("package_power"))[0], (132.6032667 + 131.4152) / 2, kTol);
  EXPECT_EQ((*table.Column("packge_ratio_package"))[0], 1.0);  // not smoothed

  options.smooth_window = 30;
  auto too_short = MakeSmoothExtractor()->Extract(Idle(), options);
  EXPECT_EQ(too_short.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ExtractorTest, ThirdPartyMetricsFormTheirGroup) {
  core::FeatureGroups groups =
      core::FeatureGroups::WithThirdParty({"kepler_container_gpu_joules_total"});
  std::vector<v1::FeatureGroup> valid = ValidFeatureGroups(Idle(), groups);
  EXPECT_EQ(valid.back(), v1::ThirdParty);
  ExtractOptions options;
  options.feature_groups = &groups;
  options.feature_group = v1::ThirdParty;
  FeatureTable table = MustExtract(Idle(), options);
  EXPECT_THAT(table.feature_columns, ElementsAre("kepler_container_gpu_joules_total"));
  EXPECT_EQ(table.num_rows(), 5u);
  EXPECT_GT((*table.Column("kepler_container_gpu_joules_total"))[0], 0);
}

TEST(ExtractorTest, AcceleratorOnlyHasNoContainerLevel) {
  ExtractOptions options;
  options.feature_group = v1::AcceleratorOnly;
  options.node_level = false;
  EXPECT_EQ(MakeDefaultExtractor()->Extract(Idle(), options).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(ExtractorTest, UnknownExtractorAndMissingQueriesAreNamed) {
  EXPECT_EQ(MakeExtractor("rough").status().code(), absl::StatusCode::kInvalidArgument);
  ExtractOptions options;
  options.energy_source = "redfish";
  auto missing_source = MakeDefaultExtractor()->Extract(Idle(), options);
  EXPECT_EQ(missing_source.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing_source.status().message(),
              HasSubstr("kepler_node_platform_joules_total has no series with source=\"redfish\""));
  options.energy_source = "rapl-sysfs";
  options.feature_group = v1::WorkloadOnly;
  auto missing_feature = MakeDefaultExtractor()->Extract(Idle(), options);
  EXPECT_EQ(missing_feature.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing_feature.status().message(),
              HasSubstr("query kepler_node_accelerator_intel_qat is missing"));
}

// --- Small synthetic captures. ---

std::string Series(const std::map<std::string, std::string>& labels,
                   const std::vector<std::pair<double, double>>& samples) {
  std::vector<std::string> label_text, sample_text;
  for (const auto& [name, value] : labels) label_text.push_back(absl::StrCat("\"", name, "\": \"", value, "\""));
  for (const auto& [t, v] : samples) sample_text.push_back(absl::StrCat("[", t, ", \"", v, "\"]"));
  return absl::StrCat("{\"metric\": {", absl::StrJoin(label_text, ", "), "}, \"values\": [",
                      absl::StrJoin(sample_text, ", "), "]}");
}

std::map<std::string, std::string> Container(const std::string& name, const std::string& job) {
  return {{"container_id", "id-" + name}, {"pod_name", "pod-" + name},
          {"container_name", name},       {"container_namespace", "ns"}, {"job", job}};
}

Capture Build(const std::map<std::string, std::vector<std::string>>& queries) {
  std::vector<std::string> parts;
  for (const auto& [query, series] : queries) {
    parts.push_back(absl::StrCat("\"", query, "\": [", absl::StrJoin(series, ", "), "]"));
  }
  auto capture = Capture::Parse(absl::StrCat("{", absl::StrJoin(parts, ", "), "}"));
  EXPECT_TRUE(capture.ok()) << capture.status();
  return std::move(*capture);
}

// acpi platform energy at 10 W and one container whose cpu-time counter resets at t=30.
std::map<std::string, std::vector<std::string>> SmallAcpi() {
  return {
      {"kepler_node_platform_joules_total",
       {Series({{"source", "acpi"}, {"mode", "dynamic"}},
               {{0, 0}, {10, 100}, {20, 200}, {30, 300}, {40, 400}})}},
      {"kepler_container_bpf_cpu_time_ms_total",
       {Series(Container("a", "kepler"), {{0, 0}, {10, 50}, {20, 150}, {30, 20}, {40, 60}}),
        Series(Container("vm-a", "vm"), {{0, 0}, {10, 1000}, {20, 2000}})}},
      {"kepler_container_bpf_page_cache_hit_total",
       {Series(Container("a", "kepler"), {{0, 0}, {10, 10}, {20, 20}, {30, 30}, {40, 40}})}},
  };
}

TEST(ExtractorTest, CounterResetTakesThePreviousRateAndVmJobIsIgnored) {
  ExtractOptions options;
  options.energy_source = "acpi";
  FeatureTable table = MustExtract(Build(SmallAcpi()), options);
  EXPECT_THAT(table.timestamps, ElementsAre(10, 20, 30, 40));
  // 5/s, 10/s, reset -> 10/s again, then 4/s; the vm job's series is not counted.
  EXPECT_THAT(*table.Column("bpf_cpu_time_ms"), ElementsAre(5, 10, 10, 4));
  EXPECT_THAT(*table.Column("platform_power"), ElementsAre(10, 10, 10, 10));
  EXPECT_THAT(*table.Column("node_type"), ElementsAre(0, 0, 0, 0));
}

TEST(ExtractorTest, NodeTypeFromNodeNodeInfoOrOptions) {
  auto queries = SmallAcpi();
  queries["kepler_node_node_info"] = {Series({}, {{0, 3}, {10, 3}, {20, 3}, {30, 3}, {40, 3}})};
  Capture capture = Build(queries);
  ExtractOptions options;
  options.energy_source = "acpi";
  EXPECT_THAT(*MustExtract(capture, options).Column("node_type"), ElementsAre(3, 3, 3, 3));
  EXPECT_THAT(CaptureNodeTypes(capture), ElementsAre(3));
  options.node_type = 5;
  EXPECT_THAT(*MustExtract(capture, options).Column("node_type"), ElementsAre(5, 5, 5, 5));
  auto power = ExtractPower(capture, options);
  ASSERT_TRUE(power.ok()) << power.status();
  EXPECT_THAT(power->column_names, ElementsAre("platform_power", "node_type"));
}

TEST(ExtractorTest, VmModeReadsVmEnergyAndProcessCountersOfTheVmJob) {
  std::map<std::string, std::string> process = {{"container_id", "c"}, {"pid", "7"}, {"job", "vm"}};
  Capture capture = Build({
      {"kepler_vm_platform_joules_total",
       {Series({{"source", "acpi"}, {"vm_id", "v"}}, {{0, 0}, {10, 50}, {20, 100}})}},
      {"kepler_process_bpf_cpu_time_ms_total", {Series(process, {{0, 0}, {10, 20}, {20, 40}})}},
      {"kepler_process_bpf_page_cache_hit_total", {Series(process, {{0, 0}, {10, 1}, {20, 2}})}},
  });
  ExtractOptions options;
  options.energy_source = "acpi";
  options.use_vm_metrics = true;
  options.node_level = false;
  FeatureTable table = MustExtract(capture, options);
  EXPECT_THAT(table.id_names, ElementsAre("c/7"));
  EXPECT_THAT(*table.Column("bpf_cpu_time_ms"), ElementsAre(2, 2));
  EXPECT_THAT(*table.Column("platform_power"), ElementsAre(5, 5));
}

TEST(ExtractorTest, UsageRatioSplitsPowerPerPackageAndNormalisesRatios) {
  std::map<std::string, std::vector<std::string>> queries;
  for (const char* component : {"package", "core", "uncore", "dram"}) {
    auto& series = queries[absl::StrCat("kepler_node_", component, "_joules_total")];
    for (const char* package : {"0", "1"}) {
      double watts = package[0] == '0' ? 30 : 10;
      series.push_back(Series({{"source", "rapl-sysfs"}, {"package", package}},
                              {{0, 0}, {10, 10 * watts}, {20, 20 * watts}}));
    }
  }
  queries["kepler_container_bpf_cpu_time_ms_total"] = {
      Series(Container("a", "kepler"), {{0, 0}, {10, 10}, {20, 20}})};
  queries["kepler_container_bpf_page_cache_hit_total"] = {
      Series(Container("a", "kepler"), {{0, 0}, {10, 10}, {20, 20}})};
  auto ratio_labels = Container("a", "kepler");
  ratio_labels["pkg_id"] = "0";
  queries["kepler_container_cpu_usage_per_package_ratio"] = {Series(ratio_labels, {{10, 3}, {20, 3}})};
  ratio_labels["pkg_id"] = "1";
  queries["kepler_container_cpu_usage_per_package_ratio"].push_back(
      Series(ratio_labels, {{10, 1}, {20, 1}}));
  FeatureTable table = MustExtract(Build(queries), {});
  EXPECT_THAT(table.power_columns,
              ElementsAre("package_0_package_power", "package_1_package_power",
                          "package_0_core_power", "package_1_core_power",
                          "package_0_uncore_power", "package_1_uncore_power",
                          "package_0_dram_power", "package_1_dram_power"));
  // Per-package rates use each package's own gaps: no inflation by the number of packages.
  EXPECT_THAT(*table.Column("package_0_package_power"), ElementsAre(30, 30));
  EXPECT_THAT(*table.Column("package_1_dram_power"), ElementsAre(10, 10));
  EXPECT_THAT(*table.Column("packge_ratio_0"), ElementsAre(0.75, 0.75));
  EXPECT_THAT(*table.Column("packge_ratio_1"), ElementsAre(0.25, 0.25));
}

TEST(ExtractorTest, FullIsTrainableWhenSystemMetricsArePresent) {
  std::map<std::string, std::vector<std::string>> queries = SmallAcpi();
  const auto& groups = core::FeatureGroups::Default();
  for (const std::string& feature : groups.FeaturesOf(v1::WorkloadOnly)) {
    std::string query = FeatureQuery(feature, groups, false);
    if (queries.count(query)) continue;
    queries[query] = {feature == "accelerator_intel_qat"
                          ? Series({{"type", "qat"}}, {{10, 2}, {20, 2}, {30, 2}, {40, 2}})
                          : Series(Container("a", "kepler"), {{0, 0}, {10, 1}, {20, 2}, {30, 3},
                                                              {40, 4}})};
  }
  queries["kepler_node_info"] = {Series({{"cpu_architecture", "Broadwell"}},
                                        {{10, 1}, {20, 1}, {30, 1}, {40, 1}})};
  queries["kepler_node_cpu_scaling_frequency_hertz"] = {
      Series({{"cpu", "0"}}, {{10, 2.5e9}, {20, 2.5e9}, {40, 2.5e9}}),
      Series({{"cpu", "1"}}, {{10, 1.5e9}, {20, 1.5e9}, {40, 1.5e9}})};
  Capture capture = Build(queries);
  EXPECT_EQ(ValidFeatureGroups(capture, groups).front(), v1::Full);
  ExtractOptions options;
  options.energy_source = "acpi";
  options.feature_group = v1::Full;
  FeatureTable table = MustExtract(capture, options);
  EXPECT_EQ(table.feature_columns.front(), "accelerator_intel_qat_qat");
  EXPECT_THAT(table.timestamps, ElementsAre(10, 20, 40));  // no frequency at t=30
  EXPECT_THAT(*table.Column("node_info"), ElementsAre(1, 1, 1));
  EXPECT_THAT(*table.Column("cpu_scaling_frequency_hertz"), ElementsAre(2e9, 2e9, 2e9));
  EXPECT_THAT(*table.Column("accelerator_intel_qat_qat"), ElementsAre(2, 2, 2));
}

}  // namespace
}  // namespace kepler::model::trainer
