#include "core/feature_group.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(FeatureGroupTest, DefaultTableOrderIsTheReferenceOrder) {
  EXPECT_THAT(FeatureGroups::Default().Groups(),
              ElementsAre(v1::Full, v1::WorkloadOnly, v1::CounterOnly, v1::BPFOnly, v1::BPFIRQ,
                          v1::CounterIRQCombined, v1::Basic, v1::AcceleratorOnly));
}

TEST(FeatureGroupTest, FeaturesAreSorted) {
  const auto& groups = FeatureGroups::Default();
  EXPECT_THAT(groups.FeaturesOf(v1::BPFIRQ),
              ElementsAre("bpf_block_irq", "bpf_cpu_time_ms", "bpf_net_rx_irq", "bpf_net_tx_irq",
                          "bpf_page_cache_hit"));
  EXPECT_EQ(groups.FeaturesOf(v1::Full).size(), 11u);
  EXPECT_EQ(groups.FeaturesOf(v1::Full).front(), "accelerator_intel_qat");
  EXPECT_EQ(groups.FeaturesOf(v1::WorkloadOnly).size(), 9u);
  EXPECT_THAT(groups.FeaturesOf(v1::IRQOnly), IsEmpty());
}

TEST(FeatureGroupTest, ValidGroupsOfTheContractExample) {
  EXPECT_THAT(FeatureGroups::Default().ValidGroups({"cpu_instructions", "bpf_cpu_time_ms",
                                                    "cache_miss", "bpf_page_cache_hit",
                                                    "cpu_cycles", "cpu_architecture"}),
              ElementsAre(v1::CounterOnly, v1::BPFOnly, v1::Basic));
}

TEST(FeatureGroupTest, NoValidGroupForAnUnrelatedMetric) {
  EXPECT_THAT(FeatureGroups::Default().ValidGroups({"cpu_cycles"}), IsEmpty());
}

TEST(FeatureGroupTest, MainFeatureIndexPicksDramFeatureForDram) {
  const auto& groups = FeatureGroups::Default();
  EXPECT_EQ(groups.MainFeatureIndex(v1::BPFOnly, "package"), 0);
  EXPECT_EQ(groups.MainFeatureIndex(v1::BPFOnly, "platform"), 0);
  EXPECT_EQ(groups.MainFeatureIndex(v1::BPFOnly, "dram"), 1);
  EXPECT_EQ(groups.MainFeatureIndex(v1::CounterOnly, "package"), 2);
  EXPECT_EQ(groups.MainFeatureIndex(v1::CounterOnly, "dram"), 0);
  EXPECT_EQ(groups.MainFeatureIndex(v1::AcceleratorOnly, "dram"), 0);
  EXPECT_EQ(groups.MainFeatureIndex(v1::IRQOnly, "dram"), -1);
}

TEST(FeatureGroupTest, ThirdPartyExtendsWorkloadOnly) {
  FeatureGroups groups = FeatureGroups::WithThirdParty({"gpu_util", "fan_rpm"});
  EXPECT_THAT(groups.FeaturesOf(v1::ThirdParty), ElementsAre("fan_rpm", "gpu_util"));
  EXPECT_EQ(groups.FeaturesOf(v1::WorkloadOnly).size(), 11u);
  EXPECT_EQ(groups.MainFeatureIndex(v1::ThirdParty, "package"), 1);
  EXPECT_THAT(groups.ValidGroups({"gpu_util", "fan_rpm"}), ElementsAre(v1::ThirdParty));
}

TEST(FeatureGroupTest, NamesRoundTrip) {
  for (v1::FeatureGroup group : FeatureGroups::Default().Groups()) {
    EXPECT_EQ(ParseFeatureGroup(FeatureGroupName(group)), group);
  }
  EXPECT_EQ(ParseFeatureGroup("Nope"), absl::nullopt);
}

}  // namespace
}  // namespace kepler::model::core
