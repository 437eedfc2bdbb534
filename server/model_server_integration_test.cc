// Starts the real kepler-model-server binary with initial pipelines served by a real HTTP file
// server and from file:// URLs, and talks to it over HTTP and gRPC as clients do.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/archive.h"
#include "core/file_util.h"
#include "core/testing/fixture_zip.h"
#include "core/testing/grpc_probe.h"
#include "core/testing/static_file_server.h"
#include "core/testing/subprocess.h"
#include "gateway/testing/http_client.h"
#include "grpcpp/grpcpp.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "kepler/model/v1/model_server.grpc.pb.h"
#include "rapidjson/document.h"

namespace kepler::model::server {
namespace {

namespace fs = std::filesystem;
using core::test_util::Subprocess;
using gateway::testing::HttpGet;
using gateway::testing::HttpPost;

std::string KeplerBody() {
  // Kepler v0.7.12's body, byte for byte (kepler-clients.md §1.3).
  return *core::ReadFile("testdata/kepler/model-request-v0.7.12.json");
}

std::string ZipPipeline(const std::string& name, const fs::path& scratch) {
  auto zip = core::test_util::ZipFixture("testdata/model-db/" + name, scratch.string());
  EXPECT_TRUE(zip.ok()) << zip.status();
  return zip.ok() ? *zip : "";
}

rapidjson::Document ParseJson(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  return doc;
}

class ModelServerIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new fs::path(fs::path(::testing::TempDir()) / "model_server_it");
    fs::remove_all(*root_);
    fs::create_directories(*root_ / "www");
    fs::create_directories(*root_ / "models");
    std::ofstream(*root_ / "www" / "ec2-0.7.11.zip") << ZipPipeline("ec2-0.7.11", *root_);
    std::ofstream(*root_ / "specpower-0.7.11.zip") << ZipPipeline("specpower-0.7.11", *root_);
    files_ = core::test_util::StaticFileServer::Start({(*root_ / "www").string()}).value().release();
    std::string urls = files_->Url("/ec2-0.7.11.zip") + "," + files_->Url("/missing.zip") +
                       ",file://" + (*root_ / "specpower-0.7.11.zip").string();
    server_ = Subprocess::Start({"server/kepler-model-server",
                                 {"--port=0", "--grpc_port=0", "--address=127.0.0.1",
                                  "--poll_seconds=0.05"},
                                 {{"CONFIG_PATH", (*root_ / "no-config").string()},
                                  {"MODEL_PATH", (*root_ / "models").string()},
                                  {"INITIAL_PIPELINE_URL", urls}},
                                 (*root_ / "server.log").string()})
                  .value()
                  .release();
    std::string line = server_->WaitForLog("serving HTTP on port ").value();
    port_ = core::test_util::IntAfter("p " + line, "p ").value();
    grpc_port_ = core::test_util::IntAfter(line, "gRPC on port ").value();
    ASSERT_TRUE(server_->WaitForLog("missing.zip failed for good").ok());
    // Both downloaded pipelines are picked up (the failed one is skipped).
    for (int i = 0; i < 500; ++i) {
      auto best = HttpGet("127.0.0.1", port_, "/best-models?energy-source=acpi");
      if (best.ok() && best->status == 200) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  static void TearDownTestSuite() {
    delete server_;
    delete files_;
  }

  static fs::path* root_;
  static core::test_util::StaticFileServer* files_;
  static Subprocess* server_;
  static int port_;
  static int grpc_port_;
};

fs::path* ModelServerIntegrationTest::root_;
core::test_util::StaticFileServer* ModelServerIntegrationTest::files_;
Subprocess* ModelServerIntegrationTest::server_;
int ModelServerIntegrationTest::port_;
int ModelServerIntegrationTest::grpc_port_;

TEST_F(ModelServerIntegrationTest, InstallsInitialPipelinesSkippingTheBadOne) {
  EXPECT_TRUE(fs::exists(*root_ / "models" / "ec2-0.7.11" / "rapl-sysfs" / "AbsPower" /
                         "BPFOnly" / "SGDRegressorTrainer_0" / "weight.json"));
  EXPECT_TRUE(fs::exists(*root_ / "models" / "specpower-0.7.11" / "metadata.json"));
  EXPECT_FALSE(fs::exists(*root_ / "models" / "missing"));
  EXPECT_NE(server_->Log().find("missing.zip failed for good after 1 attempt"), std::string::npos)
      << server_->Log();
}

TEST_F(ModelServerIntegrationTest, KeplersRequestGetsThePublishedWeightsExactly) {
  auto response = HttpPost("127.0.0.1", port_, "/model", KeplerBody(),
                           "application/json; charset=UTF-8");
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->status, 200) << response->body;
  EXPECT_EQ(response->content_type.substr(0, 16), "application/json");
  rapidjson::Document served = ParseJson(response->body);
  rapidjson::Document published = ParseJson(*core::ReadFile(
      "testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/SGDRegressorTrainer_0.json"));
  ASSERT_TRUE(served.IsObject());
  EXPECT_TRUE(served == published) << "node_type 0: the component keys only, number by number\n"
                                   << response->body;
}

TEST_F(ModelServerIntegrationTest, AnyNodeTypeAddsModelNameSpecAndError) {
  auto response = HttpPost("127.0.0.1", port_, "/model",
                           R"({"metrics":["bpf_cpu_time_ms","bpf_page_cache_hit"],)"
                           R"("output_type":"AbsPower","source":"acpi","weight":"true"})");
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->status, 200) << response->body;
  rapidjson::Document doc = ParseJson(response->body);
  EXPECT_STREQ(doc["model_name"].GetString(), "LogisticRegressionTrainer_0");
  EXPECT_DOUBLE_EQ(doc["mae"].GetDouble(), 4.33);
  ASSERT_TRUE(doc["machine_spec"]["cores"].IsInt()) << "Go decodes ints only";
  EXPECT_EQ(doc["machine_spec"]["cores"].GetInt(), 4);
  EXPECT_EQ(doc["platform"]["All_Weights"]["CurveFit_Weights"].Size(), 4u);
}

TEST_F(ModelServerIntegrationTest, ArchiveRequestGetsAZipAttachment) {
  auto response = HttpPost("127.0.0.1", port_, "/model",
                           R"({"metrics":["bpf_cpu_time_ms","bpf_page_cache_hit"],)"
                           R"("output_type":"DynPower","source":"rapl-sysfs"})");
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->status, 200) << response->body;
  EXPECT_EQ(response->content_type, "application/zip");
  const std::string* disposition = response->FindHeader("Content-Disposition");
  ASSERT_NE(disposition, nullptr);
  EXPECT_EQ(*disposition, "attachment; filename=GradientBoostingRegressorTrainer_1.zip");
  auto entries = core::ReadZip(response->body, core::ArchiveLimits{});
  ASSERT_TRUE(entries.ok()) << entries.status();
}

TEST_F(ModelServerIntegrationTest, BestModelsAnswersTheReferenceShape) {
  auto response = HttpGet("127.0.0.1", port_, "/best-models");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body,
            R"({"AbsPower": {"BPFOnly": "KNeighborsRegressorTrainer_1"}, )"
            R"("DynPower": {"BPFOnly": "GradientBoostingRegressorTrainer_1"}})");
  auto empty = HttpGet("127.0.0.1", port_, "/best-models?node-type=3");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->body, R"({"AbsPower": {}, "DynPower": {}})");
  auto bad = HttpGet("127.0.0.1", port_, "/best-models?feature-group=Nope");
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(bad->body, "failed to get best model list: 'Nope'\n");
}

TEST_F(ModelServerIntegrationTest, BadInputGetsA4xxWithAReason) {
  struct Case {
    std::string body;
    int status;
    std::string mentions;
  } cases[] = {
      {"{not json", 400, "JSON"},
      {R"({"metrics":["bpf_cpu_time_ms"],"output_type":"Bad"})", 400, "Bad"},
      {R"({"metrics":["bpf_cpu_time_ms"],"output_type":"AbsPower","source":"nvml"})", 400, "nvml"},
      {R"({"metrics":["cpu_cycles"],"output_type":"AbsPower"})", 400, "cpu_cycles"},
      {R"({"metrics":["bpf_cpu_time_ms","bpf_page_cache_hit"],"output_type":"AbsPower",)"
       R"("source":"redfish"})", 400, "redfish"},
      {R"({"metrics":["bpf_cpu_time_ms","bpf_page_cache_hit"],"output_type":"AbsPower",)"
       R"("filter":"accuracy:1"})", 400, "accuracy"},
      {R"({"metrics":["bpf_cpu_time_ms","bpf_page_cache_hit"],"output_type":"AbsPower",)"
       R"("trainer_name":"../../etc/passwd"})", 400, "path"},
      {R"({"metrics":["bpf_cpu_time_ms","bpf_page_cache_hit"],"output_type":"AbsPower",)"
       R"("node_type":5,"loose_node_type":false})", 400, "node type 5"},
      {std::string(2 << 20, ' '), 413, ""},
  };
  for (const Case& c : cases) {
    auto response = HttpPost("127.0.0.1", port_, "/model", c.body);
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->status, c.status) << c.body.substr(0, 80) << " -> " << response->body;
    EXPECT_NE(response->body.find(c.mentions), std::string::npos) << response->body;
  }
  auto get_model = HttpGet("127.0.0.1", port_, "/model");
  ASSERT_TRUE(get_model.ok());
  EXPECT_EQ(get_model->status, 405);
  auto unknown = HttpGet("127.0.0.1", port_, "/nope");
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->status, 404);
}

TEST_F(ModelServerIntegrationTest, MetricsHealthAndReadiness) {
  ASSERT_TRUE(HttpPost("127.0.0.1", port_, "/model", KeplerBody()).ok());
  auto metrics = HttpGet("127.0.0.1", port_, "/metrics");
  ASSERT_TRUE(metrics.ok());
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("kepler_model_server_requests_total{route=\"/model\",status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(metrics->body.find("kepler_model_feature_weight{pipeline=\"ec2-0.7.11\",source=\"rapl-"
                               "sysfs\",output_type=\"AbsPower\",feature_group=\"BPFOnly\",model="
                               "\"SGDRegressorTrainer_0\",component=\"package\",feature=\"bpf_cpu_"
                               "time_ms\"} 305.148172889668"),
            std::string::npos)
      << metrics->body.substr(0, 3000);
  EXPECT_NE(metrics->body.find("kepler_model_server_pipelines 2"), std::string::npos);
  EXPECT_EQ(HttpGet("127.0.0.1", port_, "/healthz")->status, 200);
  EXPECT_EQ(HttpGet("127.0.0.1", port_, "/readyz")->status, 200);
}

TEST_F(ModelServerIntegrationTest, GrpcGetModelAnswersTheSameModel) {
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port_),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::ModelServer::NewStub(channel);
  v1::GetModelRequest request;
  request.add_metrics("bpf_cpu_time_ms");
  request.add_metrics("bpf_page_cache_hit");
  request.set_output_type(v1::AbsPower);
  request.set_source("acpi");
  request.set_weight(true);
  v1::GetModelResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::Status status = stub->GetModel(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.metadata().model_name(), "LogisticRegressionTrainer_0");
  EXPECT_EQ(response.weights().components(0).curve_fit_weights_size(), 4);
  grpc::ClientContext bad_context;
  request.set_filter("accuracy:1");
  status = stub->GetModel(&bad_context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ModelServerIntegrationTest, GrpcHealthAndReflectionNameTheModelServer) {
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port_),
                                     grpc::InsecureChannelCredentials());
  for (const std::string service : {"", "kepler.model.v1.ModelServer"}) {
    auto serving = core::test_util::HealthServing(channel, service);
    ASSERT_TRUE(serving.ok()) << "'" << service << "': " << serving.status();
    EXPECT_TRUE(*serving) << "'" << service << "'";
  }
  auto services = core::test_util::ReflectedServices(channel);
  ASSERT_TRUE(services.ok()) << services.status();
  EXPECT_THAT(*services, ::testing::IsSupersetOf({"kepler.model.v1.ModelServer",
                                                  "grpc.health.v1.Health"}));
}

TEST_F(ModelServerIntegrationTest, ZZStopsCleanlyOnSigterm) {
  auto code = server_->Stop(SIGTERM);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0);
}

}  // namespace
}  // namespace kepler::model::server
