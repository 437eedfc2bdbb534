#include "server/pipeline_loader.h"

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"

namespace kepler::model::server {
namespace {

namespace fs = std::filesystem;

constexpr char kModelDb[] = "testdata/model-db";

std::shared_ptr<const ModelEntry> FindModel(const Pipeline& pipeline, const GroupKey& key,
                                            const std::string& name) {
  for (const auto& model : pipeline.Models(key)) {
    if (model->metadata.model_name() == name) return model;
  }
  return nullptr;
}

TEST(PipelineLoaderTest, LoadsThePublishedDatabaseLayout) {
  auto pipeline = LoadPipeline(std::string(kModelDb) + "/ec2-0.7.11");
  ASSERT_TRUE(pipeline.ok()) << pipeline.status();
  EXPECT_EQ(pipeline->name, "ec2-0.7.11");
  EXPECT_EQ(pipeline->node_types.size(), 6u);
  EXPECT_EQ(pipeline->last_update_time, "2024-08-14 07:12:37");
  GroupKey abs{"rapl-sysfs", v1::AbsPower, v1::BPFOnly};
  EXPECT_EQ(pipeline->Models(abs).size(), 17u);
  EXPECT_EQ(pipeline->Models(GroupKey{"rapl-sysfs", v1::DynPower, v1::BPFOnly}).size(), 2u);
  EXPECT_TRUE(pipeline->HasSource("rapl-sysfs"));
  EXPECT_FALSE(pipeline->HasSource("acpi"));
}

TEST(PipelineLoaderTest, ModelsCarryMetadataWeightsAndTheIndexSpec) {
  auto pipeline = LoadPipeline(std::string(kModelDb) + "/ec2-0.7.11");
  ASSERT_TRUE(pipeline.ok()) << pipeline.status();
  auto sgd = FindModel(*pipeline, GroupKey{"rapl-sysfs", v1::AbsPower, v1::BPFOnly},
                       "SGDRegressorTrainer_0");
  ASSERT_NE(sgd, nullptr);
  EXPECT_EQ(sgd->trainer, "SGDRegressorTrainer");
  EXPECT_EQ(sgd->node_type, 0);
  EXPECT_DOUBLE_EQ(sgd->metadata.mae(), 60.78);
  EXPECT_EQ(sgd->metadata.source(), "rapl-sysfs");
  EXPECT_EQ(sgd->metadata.feature_group(), v1::BPFOnly);
  EXPECT_EQ(sgd->metadata.pipeline_name(), "ec2-0.7.11");
  ASSERT_TRUE(sgd->weights.has_value());
  EXPECT_EQ(sgd->weights->components_size(), 4);
  // Node type 0 of the index is m5.metal: 96 cores, 2 chips.
  EXPECT_EQ(sgd->metadata.machine_spec().processor(), "intel_xeon_platinum_8259cl");
  EXPECT_EQ(sgd->metadata.machine_spec().cores(), 96);
  EXPECT_TRUE(sgd->archive_needs_machine_spec);
  auto gbr = FindModel(*pipeline, GroupKey{"rapl-sysfs", v1::AbsPower, v1::BPFOnly},
                       "GradientBoostingRegressorTrainer_1");
  ASSERT_NE(gbr, nullptr);
  EXPECT_FALSE(gbr->weights.has_value());
  EXPECT_FALSE(gbr->archive_path.empty());
}

class BrokenPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / "broken_pipeline_test";
    fs::remove_all(root_);
    fs::create_directories(root_);
    fs::copy(std::string(kModelDb) + "/specpower-0.7.11", root_ / "specpower-0.7.11",
             fs::copy_options::recursive);
    fs::create_directories(root_ / "bad");
    std::ofstream(root_ / "bad" / "metadata.json") << "{}";
    std::ofstream(root_ / "bad" / "node_type_index.json") << "{\"x\": 1}";
    fs::create_directories(root_ / ".incoming-partial");
    std::ofstream(root_ / ".incoming-partial" / "metadata.json") << "{}";
    fs::create_directories(root_ / "not-a-pipeline");
  }
  fs::path root_;
};

TEST_F(BrokenPipelineTest, ABrokenPipelineIsLeftOutAndTheOthersLoad) {
  std::vector<std::string> errors;
  std::vector<Pipeline> pipelines = LoadPipelines(root_.string(), &errors);
  ASSERT_EQ(pipelines.size(), 1u);
  EXPECT_EQ(pipelines[0].name, "specpower-0.7.11");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("bad"), std::string::npos);
}

TEST_F(BrokenPipelineTest, AnUnreadableModelIsSkipped) {
  fs::path group = root_ / "specpower-0.7.11" / "acpi" / "AbsPower" / "BPFOnly";
  std::ofstream(group / "SGDRegressorTrainer_0.zip", std::ios::trunc) << "not a zip";
  auto pipeline = LoadPipeline((root_ / "specpower-0.7.11").string());
  ASSERT_TRUE(pipeline.ok()) << pipeline.status();
  const auto& models = pipeline->Models(GroupKey{"acpi", v1::AbsPower, v1::BPFOnly});
  EXPECT_EQ(models.size(), 19u);
  for (const auto& model : models) EXPECT_NE(model->metadata.model_name(), "SGDRegressorTrainer_0");
}

TEST(PipelineLoaderTest, MissingFolderGivesNoPipelines) {
  std::vector<std::string> errors;
  EXPECT_TRUE(LoadPipelines("/nonexistent/model/path", &errors).empty());
  EXPECT_EQ(errors.size(), 1u);
}

}  // namespace
}  // namespace kepler::model::server
