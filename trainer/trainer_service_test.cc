#include "trainer/trainer_service.h"

#include <filesystem>
#include <thread>

#include "absl/synchronization/notification.h"
#include "core/archive.h"
#include "core/file_util.h"
#include "gtest/gtest.h"
#include "tools/capture_generator.h"

namespace kepler::model::trainer {
namespace {

namespace fs = std::filesystem;

class TrainerServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tools::GeneratorOptions generator;
    generator.duration_seconds = 600;
    generator.containers = 6;
    capture_ = new std::string(tools::GenerateCapture(generator).value().json);
  }
  static void TearDownTestSuite() { delete capture_; }

  static v1::TrainRequest Request() {
    v1::TrainRequest request;
    request.set_name("pipeline_a");
    request.set_energy_source("rapl-sysfs");
    request.mutable_trainer()->add_abs_trainers(v1::SGDRegressorTrainer);
    request.mutable_trainer()->add_dyn_trainers(v1::LinearRegressionTrainer);
    request.mutable_trainer()->set_isolator("MinIdleIsolator");
    request.mutable_prom_response()->set_json(*capture_);
    return request;
  }
  TrainerService::Options Options() {
    TrainerService::Options options;
    options.work_dir = ::testing::TempDir();
    options.model_path = (fs::path(::testing::TempDir()) / "models").string();
    return options;
  }

  static std::string* capture_;
};

std::string* TrainerServiceTest::capture_ = nullptr;

TEST_F(TrainerServiceTest, AnswersThePipelineZipAndEveryModelsMetrics) {
  TrainerService service(Options());
  int progress_calls = 0;
  auto result = service.Train(Request(), [&](const v1::TrainProgress& p) {
    ++progress_calls;
    EXPECT_LE(p.done(), p.total());
  });
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->archive_name(), "pipeline_a.zip");
  EXPECT_GT(progress_calls, 0);
  auto entries = core::ReadZip(result->archive(), core::ArchiveLimits{});
  ASSERT_TRUE(entries.ok()) << entries.status();
  bool has_metadata = false, has_model = false;
  for (const auto& entry : *entries) {
    has_metadata |= entry.name == "metadata.json";
    has_model |= entry.name == "rapl-sysfs/AbsPower/BPFOnly/SGDRegressorTrainer_0.zip";
  }
  EXPECT_TRUE(has_metadata);
  EXPECT_TRUE(has_model);
  EXPECT_GT(result->models_size(), 0);
  for (const auto& model : result->models()) EXPECT_TRUE(model.skipped_reason().empty()) << model.skipped_reason();
}

TEST_F(TrainerServiceTest, PublishesIntoTheModelPath) {
  TrainerService::Options options = Options();
  options.publish = true;
  TrainerService service(options);
  ASSERT_TRUE(service.Train(Request()).ok());
  EXPECT_TRUE(fs::exists(fs::path(options.model_path) / "pipeline_a" / "metadata.json"));
}

TEST_F(TrainerServiceTest, InvalidRequestsNameTheField) {
  TrainerService service(Options());
  struct Case {
    std::function<void(v1::TrainRequest&)> mutate;
    std::string mentions;
  } cases[] = {
      {[](auto& r) { r.set_name("../escape"); }, "name"},
      {[](auto& r) { r.set_energy_source("nvml"); }, "energy_source"},
      {[](auto& r) { r.mutable_trainer()->set_isolator("MaxIsolator"); }, "MaxIsolator"},
      {[](auto& r) { r.mutable_trainer()->clear_abs_trainers(); r.mutable_trainer()->clear_dyn_trainers(); }, "trainer"},
      {[](auto& r) { r.mutable_prom_response()->set_json("{\"a\": 1}"); }, "prom_response"},
      {[](auto& r) { r.mutable_prom_response()->clear_json(); }, "prom_response"},
      {[](auto& r) { r.mutable_trainer()->set_isolator("ProfileBackgroundIsolator"); }, "idle_prom_response"},
      {[](auto& r) { r.mutable_trainer()->set_isolator("TrainIsolator"); }, "TrainIsolator"},
  };
  for (const Case& c : cases) {
    v1::TrainRequest request = Request();
    c.mutate(request);
    auto result = service.Train(request);
    ASSERT_FALSE(result.ok()) << c.mentions;
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
    EXPECT_NE(result.status().message().find(c.mentions), std::string::npos) << result.status();
  }
}

TEST_F(TrainerServiceTest, ACaptureWithoutFeaturesCannotTrain) {
  TrainerService service(Options());
  v1::TrainRequest request = Request();
  request.mutable_prom_response()->set_json(
      R"({"kepler_node_package_joules_total": [{"metric": {"source": "rapl-sysfs", "mode": "dynamic",)"
      R"( "package": "0"}, "values": [[1, "1"], [2, "3"], [3, "6"]]}]})");
  auto result = service.Train(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
  EXPECT_NE(result.status().message().find("cannot train"), std::string::npos) << result.status();
}

TEST_F(TrainerServiceTest, AFullQueueRefusesWithAReason) {
  TrainerService::Options options = Options();
  options.max_concurrent = 1;
  options.max_queued = 0;
  TrainerService service(options);
  absl::Notification first_started, release;
  std::thread first([&] {
    auto result = service.Train(Request(), [&](const v1::TrainProgress&) {
      if (!first_started.HasBeenNotified()) first_started.Notify();
      release.WaitForNotification();
    });
    EXPECT_TRUE(result.ok()) << result.status();
  });
  first_started.WaitForNotification();
  auto refused = service.Train(Request());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted) << refused.status();
  EXPECT_NE(refused.status().message().find("try again later"), std::string::npos);
  release.Notify();
  first.join();
  EXPECT_TRUE(service.Train(Request()).ok()) << "the slot is free again";
}

}  // namespace
}  // namespace kepler::model::trainer
