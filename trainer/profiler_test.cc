#include "trainer/profiler.h"

#include <string>

#include "core/file_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::trainer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr double kTol = 1e-6;

const Capture& Idle() {
  static const Capture* capture = [] {
    auto parsed = Capture::ReadFile("testdata/prom/idle.json");
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return new Capture(std::move(*parsed));
  }();
  return *capture;
}

TEST(ProfilerTest, ProfilesEverySourceOfTheIdleCapture) {
  auto profiles = ProfileIdle(Idle());
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  ASSERT_EQ(profiles->size(), 2u);  // acpi and rapl-sysfs
  const PowerProfile& rapl = profiles->at("rapl-sysfs");
  EXPECT_THAT(rapl.Components(), ElementsAre("package", "core", "uncore", "dram"));
  EXPECT_THAT(rapl.NodeTypes("package"), ElementsAre(0));  // kepler_node_info only: type 0
  // Watts per row (per-row gaps), not divided by the gap again (§11.14).
  const IdlePower* package = rapl.Find("package", 0);
  ASSERT_NE(package, nullptr);
  EXPECT_NEAR(package->min_watt, 82.1481667, kTol);
  EXPECT_NEAR(package->max_watt, 165.1427333, kTol);
  EXPECT_EQ(package->units, 1);
  // core_power no longer also matches uncore_power (§11.14): one unit.
  EXPECT_EQ(rapl.Find("core", 0)->units, 1);
  EXPECT_EQ(rapl.Find("core", 0)->max_watt, 0);
  EXPECT_NEAR(rapl.Find("dram", 0)->min_watt, 34.6885, kTol);
  EXPECT_NEAR(rapl.Find("dram", 0)->max_watt, 69.6956, kTol);
  const IdlePower* platform = profiles->at("acpi").Find("platform", 0);
  ASSERT_NE(platform, nullptr);
  EXPECT_NEAR(platform->min_watt, 82.0, kTol);
  EXPECT_NEAR(platform->max_watt, 116.0, kTol);
  EXPECT_NEAR(*profiles->at("acpi").BackgroundWatts("platform", 0), 99.0, kTol);
  EXPECT_FALSE(profiles->at("acpi").BackgroundWatts("platform", 1).has_value());
}

TEST(ProfilerTest, NodeTypeOptionNamesTheProfile) {
  ProfilerOptions options;
  options.node_type = 4;
  auto profiles = ProfileIdle(Idle(), options);
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  EXPECT_THAT(profiles->at("acpi").NodeTypes("platform"), ElementsAre(4));
}

TEST(ProfilerTest, WritesTheReferencesFileFormat) {
  PowerProfile profile;
  profile.Set("package", 0, {0.0, 11.389, 1});
  profile.Set("core", 2, {1.5, 2.0, 2});
  profile.Set("package", 1, {3.0, 4.0, 1});
  EXPECT_EQ(ProfileToJson(profile),
            "{\"package\": {\"0\": {\"min_watt\": 0.0, \"max_watt\": 11.389, \"#unit\": 1}, "
            "\"1\": {\"min_watt\": 3.0, \"max_watt\": 4.0, \"#unit\": 1}}, "
            "\"core\": {\"2\": {\"min_watt\": 1.5, \"max_watt\": 2.0, \"#unit\": 2}}}");
  auto parsed = ParseProfileJson(ProfileToJson(profile));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(ProfileToJson(*parsed), ProfileToJson(profile));
  EXPECT_EQ(*parsed->BackgroundWatts("core", 2), 3.5);  // (1.5 + 2) / 2 x 2 units
}

TEST(ProfilerTest, ReadsTheModelDatabaseProfiles) {
  auto profiles = ReadProfiles("testdata/model-db/profiles");
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  ASSERT_TRUE(profiles->count("rapl-sysfs"));  // from rapl.json
  ASSERT_TRUE(profiles->count("acpi"));
  const PowerProfile& rapl = profiles->at("rapl-sysfs");
  EXPECT_THAT(rapl.NodeTypes("package"), ElementsAre(0, 1, 2));
  EXPECT_EQ(rapl.Find("package", 0)->units, 1);  // no "#unit" in the database: 1
  EXPECT_NEAR(*rapl.BackgroundWatts("package", 0), (47.79866666666445 + 207.2226666666635) / 2,
              1e-9);
  EXPECT_EQ(*profiles->at("acpi").BackgroundWatts("platform", 0), 4.0);
}

TEST(ProfilerTest, WriteThenReadRoundTrips) {
  auto dir = core::MakeTempDir("profiler_test");
  ASSERT_TRUE(dir.ok());
  auto profiles = ProfileIdle(Idle());
  ASSERT_TRUE(profiles.ok());
  ASSERT_TRUE(WriteProfiles(*dir, *profiles).ok());
  EXPECT_TRUE(core::FileExists(*dir + "/rapl-sysfs.json"));
  auto read = ReadProfiles(*dir);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(ProfileToJson(read->at("rapl-sysfs")), ProfileToJson(profiles->at("rapl-sysfs")));
  EXPECT_EQ(ProfileToJson(read->at("acpi")), ProfileToJson(profiles->at("acpi")));
  ASSERT_TRUE(core::RemoveAll(*dir).ok());
  EXPECT_EQ(ReadProfiles(*dir).status().code(), absl::StatusCode::kNotFound);
}

TEST(ProfilerTest, RejectsMalformedProfiles) {
  EXPECT_THAT(ParseProfileJson("[1]").status().message(), HasSubstr("JSON object"));
  EXPECT_THAT(ParseProfileJson(R"({"package": {"x": {"min_watt": 1, "max_watt": 2}}})")
                  .status()
                  .message(),
              HasSubstr("package/x: bad node type"));
  EXPECT_THAT(ParseProfileJson(R"({"package": {"0": {"min_watt": "1"}}})").status().message(),
              HasSubstr("needs numbers min_watt and max_watt"));
}

}  // namespace
}  // namespace kepler::model::trainer
