#include "core/energy_source.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

using ::testing::ElementsAre;

TEST(EnergySourceTest, RaplFamilyHasFourComponentsInOrder) {
  EXPECT_THAT(ComponentsOf("rapl-sysfs"), ElementsAre("package", "core", "uncore", "dram"));
  EXPECT_THAT(ComponentsOf("rapl-msr"), ElementsAre("package", "core", "uncore", "dram"));
}

TEST(EnergySourceTest, PlatformSourcesHavePlatformOnly) {
  for (const char* source : {"acpi", "hmc", "redfish"}) {
    EXPECT_THAT(ComponentsOf(source), ElementsAre("platform")) << source;
  }
}

TEST(EnergySourceTest, UnknownSourceHasNoComponents) {
  EXPECT_TRUE(ComponentsOf("intel_rapl").empty());
  EXPECT_FALSE(IsKnownSource("nvml"));
}

TEST(EnergySourceTest, NormalizesKeplerSourceNames) {
  EXPECT_EQ(NormalizeSource("intel_rapl"), "rapl-sysfs");
  EXPECT_EQ(NormalizeSource("rapl-msr"), "rapl-sysfs");
  EXPECT_EQ(NormalizeSource(""), "rapl-sysfs");
  EXPECT_EQ(NormalizeSource("acpi"), "acpi");
  EXPECT_EQ(NormalizeSource("redfish"), "redfish");
}

TEST(EnergySourceTest, OutputTypesRoundTripAndRejectOthers) {
  EXPECT_EQ(ParseOutputType("AbsPower"), v1::AbsPower);
  EXPECT_EQ(ParseOutputType("DynPower"), v1::DynPower);
  EXPECT_EQ(ParseOutputType("abspower"), absl::nullopt);
  EXPECT_EQ(OutputTypeName(v1::DynPower), "DynPower");
  EXPECT_THAT(OutputTypes(), ElementsAre(v1::AbsPower, v1::DynPower));
}

}  // namespace
}  // namespace kepler::model::core
