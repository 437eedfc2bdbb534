// The real kepler-trainer answering POST /train and gRPC Train, publishing into a model path the
// real kepler-model-server watches.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "core/archive.h"
#include "core/file_util.h"
#include "core/testing/grpc_probe.h"
#include "core/testing/subprocess.h"
#include "gateway/testing/http_client.h"
#include "grpcpp/grpcpp.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "kepler/model/v1/trainer.grpc.pb.h"
#include "tools/capture_generator.h"

namespace kepler::model::trainer {
namespace {

namespace fs = std::filesystem;
using core::test_util::Subprocess;
using gateway::testing::HttpGet;
using gateway::testing::HttpPost;

std::string TrainBody(const std::string& name, const std::string& capture, const std::string& isolator,
                      const std::string& trainers, const std::string& source = "rapl-sysfs") {
  return absl::StrCat(R"({"name": ")", name, R"(", "energy_source": ")", source,
                      R"(", "use_vm_metrics": false, "prom_response": )", capture,
                      R"(, "trainer": {"abs_trainers": )", trainers, R"(, "dyn_trainers": )",
                      trainers, R"(, "idle_prom_response": )", capture, R"(, "isolator": ")",
                      isolator, R"(", "isolator_args": {}}})");
}

std::set<std::string> ZipsIn(const std::string& archive) {
  std::set<std::string> zips;
  auto entries = core::ReadZip(archive, core::ArchiveLimits{});
  if (!entries.ok()) return zips;
  for (const auto& entry : *entries) {
    if (entry.name.size() > 4 && entry.name.substr(entry.name.size() - 4) == ".zip") zips.insert(entry.name);
  }
  return zips;
}

class TrainerIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new fs::path(fs::path(::testing::TempDir()) / "trainer_it");
    fs::remove_all(*root_);
    fs::create_directories(*root_ / "models");
    trainer_ = Subprocess::Start({"trainer/kepler-trainer",
                                  {"--port=0", "--grpc_port=0", "--address=127.0.0.1", "--publish",
                                   "--max_request_mb=64", "--model_path=" + (*root_ / "models").string()},
                                  {{"CONFIG_PATH", "/nonexistent"}},
                                  (*root_ / "trainer.log").string()})
                   .value()
                   .release();
    std::string line = trainer_->WaitForLog("serving HTTP on port ").value();
    port_ = core::test_util::IntAfter(line, "").value();
    grpc_port_ = core::test_util::IntAfter(line, "gRPC on port ").value();
    server_ = Subprocess::Start({"server/kepler-model-server",
                                 {"--port=0", "--grpc_port=-1", "--address=127.0.0.1",
                                  "--fetch_initial_pipelines=false", "--poll_seconds=0.05",
                                  "--model_path=" + (*root_ / "models").string()},
                                 {{"CONFIG_PATH", "/nonexistent"}},
                                 (*root_ / "server.log").string()})
                  .value()
                  .release();
    server_port_ = core::test_util::IntAfter(server_->WaitForLog("serving HTTP on port ").value(), "").value();
    idle_ = new std::string(*core::ReadFile("testdata/prom/idle.json"));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete trainer_;
  }

  static fs::path* root_;
  static Subprocess* trainer_;
  static Subprocess* server_;
  static std::string* idle_;
  static int port_, grpc_port_, server_port_;
};

fs::path* TrainerIntegrationTest::root_;
Subprocess* TrainerIntegrationTest::trainer_;
Subprocess* TrainerIntegrationTest::server_;
std::string* TrainerIntegrationTest::idle_;
int TrainerIntegrationTest::port_, TrainerIntegrationTest::grpc_port_, TrainerIntegrationTest::server_port_;

TEST_F(TrainerIntegrationTest, RecordedRequestGivesTheReferenceLayout) {
  auto response = HttpPost("127.0.0.1", port_, "/train",
                           TrainBody("sample_data_MinIdleIsolator", *idle_, "MinIdleIsolator",
                                     R"(["SGDRegressorTrainer", "PolynomialRegressionTrainer"])"));
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->status, 200) << response->body;
  EXPECT_EQ(response->content_type, "application/zip");
  EXPECT_EQ(*response->FindHeader("Content-Disposition"),
            "attachment; filename=sample_data_MinIdleIsolator.zip");
  // The reference's listing, model archives only (its other files are pickles, ours JSON).
  std::set<std::string> expected;
  std::ifstream listing("testdata/reference-samples/train-response.listing.txt");
  std::regex zip_line(R"(^\s*\d+\s+\S+\s+\S+\s+(\S+\.zip)$)");
  for (std::string line; std::getline(listing, line);) {
    std::smatch match;
    if (std::regex_search(line, match, zip_line) && match[1].str().find('/') != std::string::npos) {
      expected.insert(match[1].str());
    }
  }
  ASSERT_EQ(expected.size(), 20u);
  EXPECT_EQ(ZipsIn(response->body), expected);
}

TEST_F(TrainerIntegrationTest, ThePublishedPipelineIsServed) {
  auto trained = HttpPost("127.0.0.1", port_, "/train",
                          TrainBody("served_pipeline", *idle_, "NoneIsolator", R"(["SGDRegressorTrainer"])"));
  ASSERT_TRUE(trained.ok() && trained->status == 200) << (trained.ok() ? trained->body : "");
  std::string body = R"({"metrics":["bpf_cpu_time_ms","bpf_page_cache_hit"],"output_type":"AbsPower",)"
                     R"("source":"rapl-sysfs","weight":true,"pipeline_name":"served_pipeline"})";
  absl::StatusOr<gateway::HttpResponse> model = absl::UnknownError("not tried");
  for (int i = 0; i < 500; ++i) {  // the server's watcher picks the pipeline up
    model = HttpPost("127.0.0.1", server_port_, "/model", body);
    if (model.ok() && model->status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(model.ok());
  ASSERT_EQ(model->status, 200) << model->body;
  EXPECT_NE(model->body.find("\"model_name\": \"SGDRegressorTrainer_0\""), std::string::npos) << model->body;
  EXPECT_NE(model->body.find("\"Bias_Weight\""), std::string::npos);
}

TEST_F(TrainerIntegrationTest, GeneratedCapturesTrainEveryFamilyForAcpiToo) {
  tools::GeneratorOptions options;
  options.duration_seconds = 900;
  options.containers = 8;
  options.packages = 2;
  std::string capture = tools::GenerateCapture(options).value().json;
  auto response = HttpPost(
      "127.0.0.1", port_, "/train",
      TrainBody("generated_acpi", capture, "MinIdleIsolator",
                R"(["LinearRegressionTrainer", "SGDRegressorTrainer", "PolynomialRegressionTrainer",
                   "GradientBoostingRegressorTrainer", "KNeighborsRegressorTrainer",
                   "SVRRegressorTrainer", "XgboostFitTrainer", "LogarithmicRegressionTrainer",
                   "LogisticRegressionTrainer", "ExponentialRegressionTrainer"])",
                "acpi"));
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->status, 200) << response->body;
  std::set<std::string> zips = ZipsIn(response->body);
  EXPECT_TRUE(zips.count("acpi/AbsPower/BPFOnly/XgboostFitTrainer_0.zip"));
  EXPECT_TRUE(zips.count("acpi/DynPower/BPFOnly/LogisticRegressionTrainer_0.zip"));
}

TEST_F(TrainerIntegrationTest, BadRequestsAre4xxWithAReason) {
  struct Case {
    std::string body;
    int status;
    std::string mentions;
  } cases[] = {
      {"{not json", 400, "JSON"},
      {TrainBody("../evil", *idle_, "MinIdleIsolator", R"(["SGDRegressorTrainer"])"), 400, "name"},
      {TrainBody("x", *idle_, "MinIdleIsolator", R"(["NopeTrainer"])"), 400, "NopeTrainer"},
      {TrainBody("x", *idle_, "WeirdIsolator", R"(["SGDRegressorTrainer"])"), 400, "WeirdIsolator"},
      {TrainBody("x", *idle_, "MinIdleIsolator", R"(["SGDRegressorTrainer"])", "nvml"), 400, "energy_source"},
      {TrainBody("x", R"({"kepler_node_package_joules_total": []})", "MinIdleIsolator",
                 R"(["SGDRegressorTrainer"])"), 400, "cannot train"},
  };
  for (const Case& c : cases) {
    auto response = HttpPost("127.0.0.1", port_, "/train", c.body);
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->status, c.status) << c.body.substr(0, 60) << " -> " << response->body;
    EXPECT_NE(response->body.find(c.mentions), std::string::npos) << response->body;
  }
  // Over --max_request_mb: refused from the headers, before the body is read.
  auto connection = gateway::testing::HttpConnection::Connect("127.0.0.1", port_);
  ASSERT_TRUE(connection.ok());
  ASSERT_TRUE((*connection)->SendRaw("POST /train HTTP/1.1\r\nHost: x\r\nContent-Length: 68157440\r\n"
                                     "Content-Type: application/json\r\n\r\n{").ok());
  auto refused = (*connection)->ReadResponse();
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->status, 413);
}

TEST_F(TrainerIntegrationTest, GrpcTrainStreamsProgressThenTheResult) {
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port_),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::Trainer::NewStub(channel);
  v1::TrainRequest request;
  request.set_name("grpc_pipeline");
  request.set_energy_source("rapl-sysfs");
  request.mutable_trainer()->add_abs_trainers(v1::SGDRegressorTrainer);
  request.mutable_trainer()->set_isolator("min");
  request.mutable_prom_response()->set_json(*idle_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  auto reader = stub->Train(&context, request);
  v1::TrainReply reply;
  int progress = 0;
  v1::TrainResult result;
  while (reader->Read(&reply)) {
    if (reply.has_progress()) ++progress;
    if (reply.has_result()) result = reply.result();
  }
  grpc::Status status = reader->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(progress, 0);
  EXPECT_EQ(result.archive_name(), "grpc_pipeline.zip");
  EXPECT_TRUE(ZipsIn(result.archive()).count("rapl-sysfs/AbsPower/BPFOnly/SGDRegressorTrainer_0.zip"));
  EXPECT_GT(result.models_size(), 0);
}

TEST_F(TrainerIntegrationTest, GrpcHealthAndReflectionNameTheTrainer) {
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port_),
                                     grpc::InsecureChannelCredentials());
  for (const std::string service : {"", "kepler.model.v1.Trainer"}) {
    auto serving = core::test_util::HealthServing(channel, service);
    ASSERT_TRUE(serving.ok()) << "'" << service << "': " << serving.status();
    EXPECT_TRUE(*serving) << "'" << service << "'";
  }
  auto services = core::test_util::ReflectedServices(channel);
  ASSERT_TRUE(services.ok()) << services.status();
  EXPECT_THAT(*services,
              ::testing::IsSupersetOf({"kepler.model.v1.Trainer", "grpc.health.v1.Health"}));
}

TEST_F(TrainerIntegrationTest, ZZStopsOnSigterm) {
  auto code = trainer_->Stop(SIGTERM);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0);
}

}  // namespace
}  // namespace kepler::model::trainer
