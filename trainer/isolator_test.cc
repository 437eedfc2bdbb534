#include "trainer/isolator.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "trainer/extractor.h"

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

FeatureTable IdleContainers() {
  ExtractOptions options;
  options.node_level = false;
  auto table = MakeDefaultExtractor()->Extract(Idle(), options);
  EXPECT_TRUE(table.ok()) << table.status();
  return *table;
}

// The reference's isolator_test: no row whose labels are all negative, same column count.
void ExpectSaneIsolation(const FeatureTable& input, const FeatureTable& output) {
  ASSERT_TRUE(output.Validate().ok()) << output.Validate();
  EXPECT_EQ(output.num_columns(), input.num_columns());
  std::vector<std::string> in = input.column_names, out = output.column_names;
  std::sort(in.begin(), in.end());
  std::sort(out.begin(), out.end());
  EXPECT_EQ(in, out);
  for (size_t row = 0; row < output.num_rows(); ++row) {
    bool all_negative = true;
    for (const std::string& name : output.power_columns) {
      all_negative &= (*output.Column(name))[row] < 0;
    }
    EXPECT_FALSE(all_negative) << "row " << row;
  }
}

TEST(IsolatorTest, SqueezeSumsFeaturesAndAveragesPowerPerTimestamp) {
  FeatureTable input = IdleContainers();
  auto none = MakeNoneIsolator()->Isolate(input, "rapl-sysfs");
  ASSERT_TRUE(none.ok()) << none.status();
  ExpectSaneIsolation(input, *none);
  EXPECT_THAT(none->column_names,
              ElementsAre("packge_ratio_package", "bpf_cpu_time_ms", "bpf_page_cache_hit",
                          "package_power", "core_power", "uncore_power", "dram_power",
                          "node_type"));
  EXPECT_EQ(none->num_rows(), 5u);
  EXPECT_EQ(none->IdOf(0), "all containers");
  EXPECT_NEAR((*none->Column("bpf_cpu_time_ms"))[0], 335.8, kTol);  // = the node-level row
  EXPECT_NEAR((*none->Column("package_power"))[0], 132.6032667, kTol);
  EXPECT_EQ((*none->Column("packge_ratio_package"))[0], 1.0);  // re-normalised sum
}

TEST(IsolatorTest, MinSubtractsEachLabelsMinimum) {
  FeatureTable input = IdleContainers();
  auto min = MakeMinIsolator()->Isolate(input, "rapl-sysfs");
  ASSERT_TRUE(min.ok()) << min.status();
  ExpectSaneIsolation(input, *min);
  // Reference (mean-gap watts): package 137.18 -> 35.20. Per-row gaps: 132.603 - 82.148.
  EXPECT_THAT(*min->Column("package_power"),
              Pointwise(DoubleNear(kTol), {50.4551, 49.2670333, 11.7174048, 82.9945667, 0.0}));
  EXPECT_EQ(*std::min_element(min->Column("dram_power")->begin(), min->Column("dram_power")->end()),
            0.0);
}

TEST(IsolatorTest, ProfileOnIdleDataLeavesNothing) {
  FeatureTable input = IdleContainers();
  auto profiles = ProfileIdle(Idle());
  ASSERT_TRUE(profiles.ok());
  auto isolator = MakeProfileIsolator(*profiles, BackgroundContainers(Idle()));
  auto result = isolator->Isolate(input, "rapl-sysfs");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->num_rows(), 0u);  // every idle container is background
  EXPECT_EQ(result->num_columns(), input.num_columns());
}

TEST(IsolatorTest, ProfileSubtractsBackgroundPowerOfTheNodeType) {
  FeatureTable input = IdleContainers();
  std::vector<std::string> background = BackgroundContainers(Idle());
  background.erase(std::find(background.begin(), background.end(), "kepler-exporter"));
  PowerProfile profile;
  profile.Set("package", 0, {10, 20, 1});
  profile.Set("core", 0, {0, 0, 1});
  profile.Set("uncore", 0, {0, 0, 1});
  profile.Set("dram", 0, {4, 6, 2});
  auto result = MakeProfileIsolator({{"rapl-sysfs", profile}}, background)
                    ->Isolate(input, "rapl-sysfs");
  ASSERT_TRUE(result.ok()) << result.status();
  ExpectSaneIsolation(input, *result);
  ASSERT_EQ(result->num_rows(), 5u);
  EXPECT_NEAR((*result->Column("bpf_cpu_time_ms"))[0], 0.8666667, kTol);  // the exporter only
  EXPECT_NEAR((*result->Column("package_power"))[0], 132.6032667 - 15, kTol);
  EXPECT_NEAR((*result->Column("dram_power"))[0], 55.9393333 - 10, kTol);  // (4+6)/2 x 2 units

  auto no_type = MakeProfileIsolator({{"rapl-sysfs", PowerProfile()}}, background)
                     ->Isolate(input, "rapl-sysfs");
  EXPECT_EQ(no_type.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(no_type.status().message(), HasSubstr("node type 0"));
  EXPECT_FALSE(MakeProfileIsolator({}, background)->Isolate(input, "rapl-sysfs").ok());
}

// Two containers over four timestamps: package power = 100 W + 10 x the target's cpu.
FeatureTable TargetAndBackground() {
  FeatureTable table;
  table.has_ids = true;
  table.id_names = {"1/p/bg-daemon/ns", "2/p/target-job/ns"};
  std::vector<double> cpu, package, node_type;
  for (int t = 0; t < 4; ++t) {
    double target_cpu = t + 1;
    for (uint32_t id : {0u, 1u}) {
      table.timestamps.push_back(10 * (t + 1));
      table.ids.push_back(id);
      cpu.push_back(id == 0 ? 2 : target_cpu);
      package.push_back(100 + 10 * target_cpu);
      node_type.push_back(0);
    }
  }
  table.AddColumn("bpf_cpu_time_ms", cpu);
  table.AddColumn("platform_power", package);
  table.AddColumn("node_type", node_type);
  table.feature_columns = {"bpf_cpu_time_ms"};
  table.power_columns = {"platform_power"};
  return table;
}

BackgroundPowerPredictor Constant(const std::string& name, double mae, double watts) {
  return {name, mae, [watts](const FeatureTable& usage) -> absl::StatusOr<ComponentWatts> {
            // The background usage given to the model: the daemon's cpu only.
            for (double cpu : *usage.Column("bpf_cpu_time_ms")) {
              if (cpu != 2) return absl::InternalError("saw target usage");
            }
            return ComponentWatts{{"platform", std::vector<double>(usage.num_rows(), watts)}};
          }};
}

TEST(IsolatorTest, TrainerPicksTheBestCorrelatedLowestErrorModel) {
  FeatureTable input = TargetAndBackground();
  TrainIsolatorOptions options;
  options.target_hints = {"target"};
  options.candidates = {
      Constant("a", 5.0, 100),    // dynamic = 10 x cpu: corr 1
      Constant("b", 1.0, 150),    // dynamic clipped to 0: corr 0, not better
      Constant("c", 0.5, 90),     // dynamic = 10 + 10 x cpu: corr 1, lower error: best
      {"broken", 0.1, [](const FeatureTable&) -> absl::StatusOr<ComponentWatts> {
         return absl::InternalError("cannot predict");
       }},
  };
  auto result = MakeTrainIsolator(options)->Isolate(input, "acpi");
  ASSERT_TRUE(result.ok()) << result.status();
  ExpectSaneIsolation(input, *result);
  EXPECT_THAT(*result->Column("platform_power"), ElementsAre(20, 30, 40, 50));
  EXPECT_THAT(*result->Column("bpf_cpu_time_ms"), ElementsAre(1, 2, 3, 4));  // target only
}

TEST(IsolatorTest, TrainerBackgroundListWinsOverHintsAndNoHintsMeansNoBackground) {
  FeatureTable input = TargetAndBackground();
  TrainIsolatorOptions options;
  options.candidates = {{"zero", 1.0, [](const FeatureTable& usage) -> absl::StatusOr<ComponentWatts> {
                           double sum = 0;
                           for (double cpu : *usage.Column("bpf_cpu_time_ms")) sum += cpu;
                           return ComponentWatts{{"platform", std::vector<double>(usage.num_rows(), sum)}};
                         }}};
  // No list, no hints: every container is a target, so no background usage at all.
  auto all_target = MakeTrainIsolator(options)->Isolate(input, "acpi");
  ASSERT_TRUE(all_target.ok()) << all_target.status();
  EXPECT_THAT(*all_target->Column("bpf_cpu_time_ms"), ElementsAre(3, 4, 5, 6));
  EXPECT_THAT(*all_target->Column("platform_power"), ElementsAre(110, 120, 130, 140));
  // The idle-derived list wins over hints that would make everything background.
  options.background_containers = {"bg-daemon"};
  options.background_hints = {"-"};
  auto listed = MakeTrainIsolator(options)->Isolate(input, "acpi");
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_THAT(*listed->Column("bpf_cpu_time_ms"), ElementsAre(1, 2, 3, 4));
  EXPECT_THAT(*listed->Column("platform_power"), ElementsAre(102, 112, 122, 132));
}

TEST(IsolatorTest, TrainerWithoutUsableModelsFails) {
  TrainIsolatorOptions options;
  options.target_hints = {"target"};
  auto result = MakeTrainIsolator(options)->Isolate(TargetAndBackground(), "acpi");
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(IsolatorTest, SimpleIsolatorsByName) {
  EXPECT_EQ((*MakeSimpleIsolator("min"))->name(), "min");
  EXPECT_EQ((*MakeSimpleIsolator("none"))->name(), "none");
  EXPECT_EQ(MakeSimpleIsolator("profile").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kepler::model::trainer
