#include "server/model_server_service.h"

#include "core/archive.h"
#include "core/model_metadata.h"
#include "gtest/gtest.h"

namespace kepler::model::server {
namespace {

class ModelServerServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto repository = Repository::Create({"testdata/model-db", absl::ZeroDuration()});
    ASSERT_TRUE(repository.ok());
    repository_ = *std::move(repository);
    service_ = std::make_unique<ModelServerService>(repository_.get(), ModelServerService::Options{});
  }
  static v1::GetModelRequest Request() {
    v1::GetModelRequest request;
    for (const char* metric : {"bpf_cpu_time_ms", "bpf_page_cache_hit", "cpu_architecture"}) {
      request.add_metrics(metric);
    }
    request.set_output_type(v1::AbsPower);
    request.set_source("intel_rapl");
    return request;
  }

  std::unique_ptr<Repository> repository_;
  std::unique_ptr<ModelServerService> service_;
};

TEST_F(ModelServerServiceTest, WeightRequestAnswersTheDocument) {
  v1::GetModelRequest request = Request();
  request.set_weight(true);
  request.set_node_type(0);
  request.set_trainer_name("SGDRegressorTrainer");
  auto response = service_->GetModel(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->metadata().model_name(), "SGDRegressorTrainer_0");
  EXPECT_FALSE(response->node_type_was_any());
  ASSERT_TRUE(response->has_weights());
  ASSERT_EQ(response->weights().components_size(), 4);
  EXPECT_EQ(response->weights().components(0).component(), "package");
}

TEST_F(ModelServerServiceTest, ArchiveCarriesTheMachineSpecOfItsNodeType) {
  auto response = service_->GetModel(Request());
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_TRUE(response->node_type_was_any());
  EXPECT_EQ(response->metadata().model_name(), "KNeighborsRegressorTrainer_1");
  auto entries = core::ReadZip(response->archive(), core::ArchiveLimits{});
  ASSERT_TRUE(entries.ok()) << entries.status();
  std::vector<std::string> names;
  for (const auto& entry : *entries) {
    names.push_back(entry.name);
    if (entry.name != "metadata.json") continue;
    auto metadata = core::ParseModelMetadata(entry.data);
    ASSERT_TRUE(metadata.ok()) << metadata.status();
    EXPECT_EQ(metadata->model_name(), "KNeighborsRegressorTrainer_1");
    EXPECT_EQ(metadata->machine_spec().processor(), "intel_xeon_e5_2686v4");
    EXPECT_EQ(metadata->machine_spec().cores(), 72);
    EXPECT_NE(entry.data.find("\"cores\":72"), std::string::npos) << "integers stay integers";
  }
  EXPECT_EQ(names.size(), 7u);
  // A second request is served the same bytes from the cache.
  auto again = service_->GetModel(Request());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->archive(), response->archive());
}

TEST_F(ModelServerServiceTest, BadRequestsAreInvalidArgument) {
  v1::GetModelRequest request = Request();
  request.set_trainer_name("../../etc");
  EXPECT_EQ(service_->GetModel(request).status().code(), absl::StatusCode::kInvalidArgument);
  request = Request();
  request.set_filter("accuracy:1");
  EXPECT_EQ(service_->GetModel(request).status().code(), absl::StatusCode::kInvalidArgument);
  request = Request();
  request.set_output_type(v1::OUTPUT_TYPE_UNSPECIFIED);
  EXPECT_EQ(service_->GetModel(request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ModelServerServiceTest, BestModelsPerOutputTypeAndGroup) {
  v1::ListBestModelsRequest request;
  request.set_energy_source("rapl-sysfs");
  auto response = service_->ListBestModels(request);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->output_types().size(), 2u);
  const auto& abs = response->output_types().at("AbsPower").models();
  ASSERT_EQ(abs.size(), 1u);
  EXPECT_EQ(abs.at("BPFOnly"), "KNeighborsRegressorTrainer_1");
  EXPECT_EQ(response->output_types().at("DynPower").models().at("BPFOnly"),
            "GradientBoostingRegressorTrainer_1");
  request.set_node_type(3);
  auto none = service_->ListBestModels(request);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->output_types().at("AbsPower").models().empty());
  EXPECT_TRUE(none->output_types().at("DynPower").models().empty());
}

TEST_F(ModelServerServiceTest, ListModelsFiltersByPipelineAndSource) {
  v1::ListModelsRequest request;
  auto all = service_->ListModels(request);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->models_size(), 19 + 20);
  request.set_source("acpi");
  EXPECT_EQ(service_->ListModels(request)->models_size(), 20);
  request.set_pipeline_name("ec2-0.7.11");
  EXPECT_EQ(service_->ListModels(request)->models_size(), 0);
}

}  // namespace
}  // namespace kepler::model::server
