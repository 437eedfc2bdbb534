// The real kepler-model-server started before its model database (pods start in any order):
// it keeps retrying, says it is not ready (/readyz 503, POST /model 503 with Retry-After, gRPC
// health NOT_SERVING) until the database's file server comes up and the pipeline is installed,
// then serves; SIGTERM while it waits to retry exits cleanly at once.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/time/clock.h"
#include "core/archive.h"
#include "core/file_util.h"
#include "core/testing/grpc_probe.h"
#include "core/testing/eventually.h"
#include "core/testing/fixture_zip.h"
#include "core/testing/static_file_server.h"
#include "core/testing/subprocess.h"
#include "gateway/testing/http_client.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace kepler::model::server {
namespace {

namespace fs = std::filesystem;
using core::test_util::StaticFileServer;
using core::test_util::Subprocess;
using gateway::testing::HttpGet;
using gateway::testing::HttpPost;
using ::testing::HasSubstr;



const char kRequest[] =
    R"({"metrics": ["bpf_cpu_time_ms", "bpf_page_cache_hit"], "output_type": "AbsPower",)"
    R"( "source": "rapl-sysfs", "weight": true, "node_type": 0})";

class ModelServerStartupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / "model_server_startup_test";
    fs::remove_all(root_);
    fs::create_directories(root_ / "www");
    std::ofstream(root_ / "www" / "ec2-0.7.11.zip")
        << *core::test_util::ZipFixture("testdata/model-db/ec2-0.7.11", root_.string());
    db_port_ = core::test_util::UnusedLoopbackPort();
  }

  void StartServer() {
    const std::string url = "http://127.0.0.1:" + std::to_string(db_port_) + "/ec2-0.7.11.zip";
    server_ = *Subprocess::Start({"server/kepler-model-server",
                                  {"--port=0", "--grpc_port=0", "--address=127.0.0.1",
                                   "--poll_seconds=0.05"},
                                  {{"CONFIG_PATH", (root_ / "no-config").string()},
                                   {"MODEL_PATH", (root_ / "models").string()},
                                   {"INITIAL_PIPELINE_URL", url}},
                                  (root_ / "server.log").string()});
    std::string line = server_->WaitForLog("serving HTTP on port ").value();
    port_ = core::test_util::IntAfter("p " + line, "p ").value();
    grpc_port_ = core::test_util::IntAfter(line, "gRPC on port ").value();
  }

  fs::path root_;
  int db_port_ = 0;
  std::unique_ptr<Subprocess> server_;
  int port_ = 0;
  int grpc_port_ = 0;
};

TEST_F(ModelServerStartupTest, NotReadyUntilADatabaseThatComesUpLaterIsInstalled) {
  StartServer();
  ASSERT_TRUE(server_->WaitForLog("attempt 2 failed").ok()) << server_->Log();
  auto ready = HttpGet("127.0.0.1", port_, "/readyz");
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(ready->status, 503);
  EXPECT_THAT(ready->body, HasSubstr("waiting for initial pipelines"));
  auto model = HttpPost("127.0.0.1", port_, "/model", kRequest);
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model->status, 503) << model->body;
  ASSERT_NE(model->FindHeader("Retry-After"), nullptr);
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port_),
                                     grpc::InsecureChannelCredentials());
  EXPECT_FALSE(*core::test_util::HealthServing(channel, ""));
  EXPECT_FALSE(*core::test_util::HealthServing(channel, "kepler.model.v1.ModelServer"));
  auto metrics = HttpGet("127.0.0.1", port_, "/metrics");
  EXPECT_THAT(metrics->body, HasSubstr("kepler_model_server_initial_pipeline_attempts_total"));

  StaticFileServer::Options served;
  served.root = (root_ / "www").string();
  served.port = db_port_;
  auto files = StaticFileServer::Start(served);
  ASSERT_TRUE(files.ok()) << files.status();
  ASSERT_TRUE(core::test_util::Eventually([&] {
    auto r = HttpGet("127.0.0.1", port_, "/readyz");
    return r.ok() && r->status == 200;
  })) << server_->Log();
  model = HttpPost("127.0.0.1", port_, "/model", kRequest);
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model->status, 200) << model->body;
  EXPECT_TRUE(*core::test_util::HealthServing(channel, "kepler.model.v1.ModelServer"));
  EXPECT_NE(server_->Log().find("initial pipeline is loaded to"), std::string::npos);
}

TEST_F(ModelServerStartupTest, SigtermWhileWaitingToRetryExitsCleanly) {
  StartServer();
  ASSERT_TRUE(server_->WaitForLog("attempt 1 failed").ok()) << server_->Log();
  const absl::Time start = absl::Now();
  auto code = server_->Stop(SIGTERM);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0) << server_->Log();
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
}

}  // namespace
}  // namespace kepler::model::server
