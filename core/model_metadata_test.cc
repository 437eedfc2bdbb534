#include "core/model_metadata.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

using ::testing::ElementsAre;

// metadata.json of ec2-0.7.11 SGDRegressorTrainer_0 (kepler-clients.md §5).
constexpr char kPublished[] =
    R"({"model_name":"SGDRegressorTrainer_0","model_class":"scikit",)"
    R"("model_file":"SGDRegressorTrainer_0.json","features":["bpf_cpu_time_ms","bpf_page_cache_hit"],)"
    R"("fe_files":[],"output_type":"AbsPower","mae":60.78,"mape":17.77,"package_mae":60.78,)"
    R"("core_mae":0.0,"uncore_mae":0.0,"dram_mae":3.17,"package_mape":50.93,"core_mape":-1,)"
    R"("uncore_mape":-1,"dram_mape":17.77})";

TEST(ModelMetadataTest, ParsesPublishedMetadata) {
  auto metadata = ParseModelMetadata(kPublished);
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_EQ(metadata->model_name(), "SGDRegressorTrainer_0");
  EXPECT_EQ(metadata->model_class(), "scikit");
  EXPECT_THAT(metadata->features(), ElementsAre("bpf_cpu_time_ms", "bpf_page_cache_hit"));
  EXPECT_EQ(metadata->output_type(), v1::AbsPower);
  EXPECT_DOUBLE_EQ(metadata->mae(), 60.78);
  EXPECT_DOUBLE_EQ(metadata->mape(), 17.77);
  EXPECT_EQ(metadata->node_type(), -1);
  EXPECT_FALSE(metadata->has_machine_spec());
  EXPECT_EQ(MetadataValue(*metadata, "dram_mae"), 3.17);
  EXPECT_EQ(MetadataValue(*metadata, "abs_max_corr"), absl::nullopt);
}

TEST(ModelMetadataTest, ReadsNodeTypeAndFloatMachineSpec) {
  auto metadata = ParseModelMetadata(
      R"({"model_name":"X_3","node_type":3,"machine_spec":{"processor":"p","cores":4.0,)"
      R"("chips":1,"memory":8.0,"frequency":2800.0},"abs_max_corr":0.9,"note":"ignored"})");
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_EQ(metadata->node_type(), 3);
  EXPECT_EQ(metadata->machine_spec().cores(), 4);
  EXPECT_EQ(metadata->machine_spec().frequency(), 2800);
  EXPECT_EQ(MetadataValue(*metadata, "abs_max_corr"), 0.9);
  EXPECT_EQ(MetadataValue(*metadata, "mae"), absl::nullopt);
}

TEST(ModelMetadataTest, RejectsWrongTypes) {
  EXPECT_FALSE(ParseModelMetadata("[1]").ok());
  EXPECT_FALSE(ParseModelMetadata("{").ok());
  EXPECT_FALSE(ParseModelMetadata(R"({"features":"bpf"})").ok());
  EXPECT_FALSE(ParseModelMetadata(R"({"features":[1]})").ok());
  EXPECT_FALSE(ParseModelMetadata(R"({"model_name":7})").ok());
}

TEST(ModelMetadataTest, DeepNestingFromAHostileArchiveIsAnError) {
  std::string nested = R"({"features":)" + std::string(1 << 20, '[');
  EXPECT_FALSE(ParseModelMetadata(nested).ok());
}

}  // namespace
}  // namespace kepler::model::core
