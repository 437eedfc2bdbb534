// Trains a whole pipeline from a generated capture and reads it back as the model server and
// the estimator do.
#include "trainer/pipeline.h"

#include <filesystem>

#include "core/archive.h"
#include "core/file_util.h"
#include "core/model_loader.h"
#include "core/trainer_name.h"
#include "gtest/gtest.h"
#include "server/pipeline_loader.h"
#include "tools/capture_generator.h"

namespace kepler::model::trainer {
namespace {

namespace fs = std::filesystem;

class PipelineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tools::GeneratorOptions generator;
    generator.duration_seconds = 600;
    generator.containers = 6;
    auto generated = tools::GenerateCapture(generator);
    ASSERT_TRUE(generated.ok()) << generated.status();
    auto capture = Capture::Parse(generated->json);
    ASSERT_TRUE(capture.ok()) << capture.status();
    capture_ = new Capture(*std::move(capture));
  }
  static void TearDownTestSuite() { delete capture_; }

  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  static PipelineOptions AllTrainers() {
    PipelineOptions options;
    options.energy_sources = {"rapl-sysfs", "acpi"};
    options.abs_trainers = core::AllTrainers();
    options.dyn_trainers = core::AllTrainers();
    options.feature_groups = {v1::BPFOnly};
    return options;
  }

  static Capture* capture_;
  fs::path root_;
};

Capture* PipelineTest::capture_ = nullptr;

TEST_F(PipelineTest, TrainsEveryTrainerIntoTheRepositoryLayout) {
  auto isolator = MakeMinIsolator();
  auto report = TrainPipeline(*capture_, *isolator, AllTrainers(), (root_ / "std_v0.7.11").string());
  ASSERT_TRUE(report.ok()) << report.status();
  int trained = 0;
  for (const auto& model : report->models) {
    EXPECT_TRUE(model.skipped_reason().empty()) << model.model_name() << ": " << model.skipped_reason();
    if (!model.skipped_reason().empty()) continue;
    ++trained;
    EXPECT_GE(model.mae(), 0);
    fs::path group = root_ / "std_v0.7.11" / model.source() /
                     (model.output_type() == v1::AbsPower ? "AbsPower" : "DynPower") / "BPFOnly";
    EXPECT_TRUE(fs::exists(group / (model.model_name() + ".zip"))) << group;
    EXPECT_TRUE(fs::exists(group / model.model_name() / "metadata.json"));
    auto parsed = core::ParseModelName(model.model_name());
    ASSERT_TRUE(parsed.has_value());
    bool has_weights = core::IsWeightSupportTrainer(parsed->trainer);
    if (has_weights) {
      EXPECT_TRUE(fs::exists(group / (model.model_name() + ".json")));
    }
  }
  EXPECT_EQ(trained, 2 * 2 * 10) << "two sources, abs and dyn, ten trainers";
  EXPECT_TRUE(fs::exists(root_ / "std_v0.7.11" / "metadata.json"));
  EXPECT_TRUE(fs::exists(root_ / "std_v0.7.11" / "rapl-sysfs_AbsPower_model_metadata.csv"));
  for (const auto& entry : fs::directory_iterator(root_)) {
    EXPECT_EQ(entry.path().filename(), "std_v0.7.11") << "no staging folder left behind";
  }
}

TEST_F(PipelineTest, ArchivesLoadInTheEstimatorAndTheModelServer) {
  auto isolator = MakeMinIsolator();
  PipelineOptions options = AllTrainers();
  auto report = TrainPipeline(*capture_, *isolator, options, (root_ / "p").string());
  ASSERT_TRUE(report.ok()) << report.status();
  auto pipeline = server::LoadPipeline((root_ / "p").string());
  ASSERT_TRUE(pipeline.ok()) << pipeline.status();
  EXPECT_EQ(pipeline->ModelCount(), 40u);
  core::FeatureTable rows{{"bpf_cpu_time_ms", "bpf_page_cache_hit"}, {100, 1, 5000, 20, 0, 0}};
  for (const auto& [key, models] : pipeline->groups) {
    for (const auto& model : models) {
      auto entries = core::ReadZipFile(model->archive_path, core::ArchiveLimits{});
      ASSERT_TRUE(entries.ok()) << entries.status();
      core::ModelFiles files;
      for (auto& entry : *entries) files[entry.name] = entry.data;
      auto loaded = core::LoadModelFromFiles(files, "BPFOnly");
      ASSERT_TRUE(loaded.ok()) << model->metadata.model_name() << ": " << loaded.status();
      auto watts = (*loaded)->Predict(rows);
      ASSERT_TRUE(watts.ok()) << model->metadata.model_name() << ": " << watts.status();
      EXPECT_EQ((*watts)[0].size(), 3u);
    }
  }
}

TEST_F(PipelineTest, ReplacesAnExistingPipelineAsAWhole) {
  auto isolator = MakeMinIsolator();
  PipelineOptions options;
  options.abs_trainers = {v1::SGDRegressorTrainer};
  options.feature_groups = {v1::BPFOnly};
  std::string out = (root_ / "p").string();
  ASSERT_TRUE(TrainPipeline(*capture_, *isolator, options, out).ok());
  options.abs_trainers = {v1::LinearRegressionTrainer};
  ASSERT_TRUE(TrainPipeline(*capture_, *isolator, options, out).ok());
  fs::path group = root_ / "p" / "rapl-sysfs" / "AbsPower" / "BPFOnly";
  EXPECT_TRUE(fs::exists(group / "LinearRegressionTrainer_0.zip"));
  EXPECT_FALSE(fs::exists(group / "SGDRegressorTrainer_0.zip"));
}

TEST_F(PipelineTest, MachineSpecBecomesTheNodeTypeIndex) {
  auto isolator = MakeNoneIsolator();
  PipelineOptions options;
  options.abs_trainers = {v1::SGDRegressorTrainer};
  options.feature_groups = {v1::BPFOnly};
  options.machine_spec = *core::ParseNodeSpecJson(
      R"({"processor":"intel_xeon_platinum_8259cl","cores":96,"chips":2,"memory":377,"frequency":3500})");
  ASSERT_TRUE(TrainPipeline(*capture_, *isolator, options, (root_ / "p").string()).ok());
  auto pipeline = server::LoadPipeline((root_ / "p").string());
  ASSERT_TRUE(pipeline.ok());
  ASSERT_NE(pipeline->node_types.Find(0), nullptr);
  const auto& models = pipeline->Models({"rapl-sysfs", v1::AbsPower, v1::BPFOnly});
  ASSERT_EQ(models.size(), 1u);
  EXPECT_EQ(models[0]->metadata.machine_spec().cores(), 96);
}

TEST_F(PipelineTest, NothingTrainableIsAnErrorNamingWhy) {
  auto isolator = MakeMinIsolator();
  PipelineOptions options;
  options.energy_sources = {"redfish"};
  options.abs_trainers = {v1::SGDRegressorTrainer};
  auto report = TrainPipeline(*capture_, *isolator, options, (root_ / "p").string());
  EXPECT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(fs::exists(root_ / "p"));
}

}  // namespace
}  // namespace kepler::model::trainer
