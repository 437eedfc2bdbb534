// The real kepler-estimator's typed Estimator over gRPC on a unix socket, cross-checked against
// its legacy JSON socket, and the gRPC health and reflection every binary promises beside it.
// The model is the published xgboost archive, given as a local init URL (no model server).
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "core/testing/grpc_probe.h"
#include "core/testing/subprocess.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gateway/testing/kepler_socket_client.h"
#include "gtest/gtest.h"
#include "kepler/model/v1/estimator.grpc.pb.h"
#include "rapidjson/document.h"

namespace kepler::model::estimator {
namespace {

namespace fs = std::filesystem;
using core::test_util::Subprocess;
using Rows = std::vector<std::vector<double>>;

constexpr char kModel[] =
    "testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/XgboostFitTrainer_0.zip";

// Columns in an order unlike the model's (bpf_cpu_time_ms, bpf_page_cache_hit), with one it
// does not read.
const std::vector<std::string> kMetrics = {"bpf_page_cache_hit", "cpu_instructions",
                                           "bpf_cpu_time_ms"};
const Rows kRows = {{1, 7, 100}, {0, 0, 0}, {3, 2, 95877}, {12, 5000, 2500}};

using gateway::testing::KeplerCall;

v1::EstimateRequest GrpcRequest(const Rows& rows) {
  v1::EstimateRequest request;
  for (const std::string& metric : kMetrics) request.add_metrics(metric);
  for (const auto& row : rows) request.add_values()->mutable_values()->Add(row.begin(), row.end());
  request.set_output_type(v1::AbsPower);
  request.set_source("rapl-sysfs");
  return request;
}

std::string JsonRequest(const Rows& rows) {
  std::vector<std::string> values;
  for (const auto& row : rows) values.push_back(absl::StrCat("[", absl::StrJoin(row, ","), "]"));
  return absl::StrCat(R"({"metrics":[")", absl::StrJoin(kMetrics, R"(",")"), R"("],"values":[)",
                      absl::StrJoin(values, ","),
                      R"(],"output_type":"AbsPower","source":"rapl-sysfs"})");
}

// A unix socket path short enough for sun_path; sandboxed tests may share pids and /tmp, so the
// clock makes it unique.
std::string UniqueSocket(const std::string& suffix) {
  return absl::StrCat("/tmp/kepler-egrpc-", getpid(), "-", absl::ToUnixNanos(absl::Now()), suffix);
}

double Milliwatts(double watts) { return std::round(watts * 1000) / 1000; }

class EstimatorGrpcIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new fs::path(fs::path(::testing::TempDir()) / "estimator_grpc_it");
    fs::remove_all(*root_);
    fs::create_directories(*root_);
    socket_path_ = new std::string(UniqueSocket(".sock"));
    grpc_socket_ = new std::string(UniqueSocket(".grpc"));
    estimator_ = StartEstimator({"--socket=" + *socket_path_, "--grpc_socket=" + *grpc_socket_},
                                "estimator.log")
                     .release();
    ASSERT_NE(estimator_, nullptr);
    auto line = estimator_->WaitForLog("kepler-estimator: serving on ");
    ASSERT_TRUE(line.ok()) << line.status();
    ASSERT_NE(line->find("gRPC " + *grpc_socket_ + ","), std::string::npos) << *line;
    channel_ = new std::shared_ptr<grpc::Channel>(
        grpc::CreateChannel("unix:" + *grpc_socket_, grpc::InsecureChannelCredentials()));
  }
  static void TearDownTestSuite() {
    delete channel_;
    delete estimator_;
    fs::remove(*socket_path_);  // left behind when the process had to be killed
    fs::remove(*grpc_socket_);
  }

  // The estimator with `flags`, the local xgboost model for node components and no model server.
  static std::unique_ptr<Subprocess> StartEstimator(std::vector<std::string> flags,
                                                    const std::string& log) {
    flags.push_back("--machine_spec=testdata/prom/machine_spec.json");
    flags.push_back("--model_path=" + (*root_ / "download").string());
    std::string init_url = "NODE_COMPONENTS_INIT_URL=file://" + fs::absolute(kModel).string();
    auto started = Subprocess::Start({"estimator/kepler-estimator",
                                      flags,
                                      {{"CONFIG_PATH", "/nonexistent"},
                                       {"MODEL_CONFIG", init_url},
                                       {"MODEL_TOPURL", "file:///nonexistent"}},
                                      (*root_ / log).string()});
    EXPECT_TRUE(started.ok()) << started.status();
    return started.ok() ? *std::move(started) : nullptr;
  }

  static grpc::Status Estimate(const v1::EstimateRequest& request, v1::EstimateResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return v1::Estimator::NewStub(*channel_)->EstimatePower(&context, request, response);
  }

  static fs::path* root_;
  static std::string* socket_path_;
  static std::string* grpc_socket_;
  static Subprocess* estimator_;
  static std::shared_ptr<grpc::Channel>* channel_;
};

fs::path* EstimatorGrpcIntegrationTest::root_;
std::string* EstimatorGrpcIntegrationTest::socket_path_;
std::string* EstimatorGrpcIntegrationTest::grpc_socket_;
Subprocess* EstimatorGrpcIntegrationTest::estimator_;
std::shared_ptr<grpc::Channel>* EstimatorGrpcIntegrationTest::channel_;

TEST_F(EstimatorGrpcIntegrationTest, EstimatePowerAnswersEveryComponentForEveryRow) {
  v1::EstimateResponse response;
  grpc::Status status = Estimate(GrpcRequest(kRows), &response);
  ASSERT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
  EXPECT_EQ(response.msg(), "");
  EXPECT_EQ(response.model_name(), "XgboostFitTrainer_0");
  EXPECT_GT(response.core_ratio(), 0);
  std::set<std::string> components;
  for (const v1::ComponentPower& power : response.powers()) {
    EXPECT_TRUE(components.insert(power.component()).second) << "twice: " << power.component();
    ASSERT_EQ(power.watts_size(), static_cast<int>(kRows.size())) << power.component();
    for (double watts : power.watts()) EXPECT_TRUE(std::isfinite(watts) && watts >= 0) << watts;
  }
  EXPECT_EQ(components, (std::set<std::string>{"package", "core", "uncore", "dram"}));
}

TEST_F(EstimatorGrpcIntegrationTest, ColumnsGoByNameAndUnreadOnesDoNotMatter) {
  Rows changed = kRows;
  for (auto& row : changed) row[1] += 12345;  // cpu_instructions, which the model does not read
  v1::EstimateResponse first, second;
  ASSERT_TRUE(Estimate(GrpcRequest(kRows), &first).ok());
  ASSERT_TRUE(Estimate(GrpcRequest(changed), &second).ok());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  // Rows with different cpu time and cache hits are told apart.
  EXPECT_NE(first.powers(0).watts(0), first.powers(0).watts(2));
}

TEST_F(EstimatorGrpcIntegrationTest, LegacySocketAnswersTheSameWattsInMilliwatts) {
  v1::EstimateResponse typed;
  ASSERT_TRUE(Estimate(GrpcRequest(kRows), &typed).ok());
  std::string answer = KeplerCall(*socket_path_, JsonRequest(kRows));
  rapidjson::Document legacy;
  legacy.Parse(answer.c_str());
  ASSERT_TRUE(legacy.IsObject() && legacy["powers"].IsObject()) << answer;
  EXPECT_STREQ(legacy["msg"].GetString(), "") << answer;
  EXPECT_DOUBLE_EQ(legacy["core_ratio"].GetDouble(), typed.core_ratio());
  ASSERT_EQ(legacy["powers"].MemberCount(), static_cast<unsigned>(typed.powers_size())) << answer;
  for (const v1::ComponentPower& power : typed.powers()) {
    ASSERT_TRUE(legacy["powers"].HasMember(power.component().c_str())) << answer;
    const auto& watts = legacy["powers"][power.component().c_str()];
    ASSERT_EQ(watts.Size(), static_cast<unsigned>(power.watts_size())) << answer;
    for (int r = 0; r < power.watts_size(); ++r) {
      EXPECT_DOUBLE_EQ(watts[r].GetDouble(), Milliwatts(power.watts(r)))
          << power.component() << " row " << r;
    }
  }
}

// estimator_service.h: InvalidArgument for a malformed request, the acquirer's error (NotFound)
// when no model can be had; core/grpc_status.h keeps the code and message.
TEST_F(EstimatorGrpcIntegrationTest, BadRequestsGetTheDocumentedStatusCodes) {
  struct Case {
    std::function<void(v1::EstimateRequest&)> mutate;
    grpc::StatusCode code;
    std::string mentions;
  } cases[] = {
      {[](auto& r) { r.mutable_values(1)->mutable_values()->RemoveLast(); },
       grpc::StatusCode::INVALID_ARGUMENT, "row 1 has 2 values for 3 metrics"},
      {[](auto& r) { r.set_output_type(static_cast<v1::OutputType>(7)); },
       grpc::StatusCode::INVALID_ARGUMENT, "output_type"},
      {[](auto& r) { r.clear_output_type(); }, grpc::StatusCode::INVALID_ARGUMENT, "output_type"},
      {[](auto& r) { r.mutable_values(2)->set_values(0, NAN); }, grpc::StatusCode::INVALID_ARGUMENT,
       "not finite"},
      {[](auto& r) { r.set_source("nvml"); }, grpc::StatusCode::INVALID_ARGUMENT, "nvml"},
      {[](auto& r) { r.set_output_type(v1::DynPower); }, grpc::StatusCode::NOT_FOUND, ""},
  };
  for (const Case& c : cases) {
    v1::EstimateRequest request = GrpcRequest(kRows);
    c.mutate(request);
    v1::EstimateResponse response;
    grpc::Status status = Estimate(request, &response);
    EXPECT_EQ(status.error_code(), c.code) << c.mentions << ": " << status.error_message();
    EXPECT_NE(status.error_message().find(c.mentions), std::string::npos) << status.error_message();
  }
  v1::EstimateResponse response;  // serving goes on
  EXPECT_TRUE(Estimate(GrpcRequest(kRows), &response).ok());
}

TEST_F(EstimatorGrpcIntegrationTest, NoRowsIsNotAnErrorButEmptyLists) {
  v1::EstimateResponse response;
  grpc::Status status = Estimate(GrpcRequest({}), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.powers_size(), 4);
  for (const v1::ComponentPower& power : response.powers()) EXPECT_EQ(power.watts_size(), 0);
}

TEST_F(EstimatorGrpcIntegrationTest, HealthAndReflectionNameTheEstimator) {
  for (const std::string service : {"", "kepler.model.v1.Estimator"}) {
    auto serving = core::test_util::HealthServing(*channel_, service);
    ASSERT_TRUE(serving.ok()) << "'" << service << "': " << serving.status();
    EXPECT_TRUE(*serving) << "'" << service << "'";
  }
  auto services = core::test_util::ReflectedServices(*channel_);
  ASSERT_TRUE(services.ok()) << services.status();
  EXPECT_THAT(*services,
              ::testing::IsSupersetOf({"kepler.model.v1.Estimator", "grpc.health.v1.Health"}));
}

TEST_F(EstimatorGrpcIntegrationTest, GrpcPortZeroLogsTheBoundPort) {
  std::string socket = UniqueSocket("-port.sock");
  auto estimator = StartEstimator({"--socket=" + socket, "--grpc_port=0"}, "port.log");
  ASSERT_NE(estimator, nullptr);
  auto line = estimator->WaitForLog("kepler-estimator: serving on ");
  ASSERT_TRUE(line.ok()) << line.status();
  auto port = core::test_util::IntAfter(*line, socket + ", gRPC port ");
  ASSERT_TRUE(port.ok()) << port.status() << " in: " << *line;
  EXPECT_GT(*port, 0);
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", *port),
                                     grpc::InsecureChannelCredentials());
  auto serving = core::test_util::HealthServing(channel, "kepler.model.v1.Estimator");
  ASSERT_TRUE(serving.ok()) << serving.status();
  EXPECT_TRUE(*serving);
  channel.reset();  // an open client connection holds gRPC's Shutdown() about 5 s
  auto code = estimator->Stop(SIGTERM);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0) << estimator->Log();
}

TEST_F(EstimatorGrpcIntegrationTest, ZZSigtermStopsBothListeners) {
  channel_->reset();  // an open client connection holds gRPC's Shutdown() about 5 s
  auto code = estimator_->Stop(SIGTERM);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0) << estimator_->Log();
  EXPECT_FALSE(fs::exists(*socket_path_));
  auto channel = grpc::CreateChannel("unix:" + *grpc_socket_, grpc::InsecureChannelCredentials());
  EXPECT_EQ(core::test_util::HealthServing(channel, "").status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace kepler::model::estimator
