// The real kepler-estimator talking to the real kepler-model-server on loopback, driven by a
// client that behaves like Kepler: one connection per request, one write, one 4096-byte read.
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/file_util.h"
#include "core/testing/subprocess.h"
#include "core/weight_document.h"
#include "gateway/testing/kepler_socket_client.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"

namespace kepler::model::estimator {
namespace {

namespace fs = std::filesystem;
using core::test_util::Subprocess;

using gateway::testing::KeplerCall;

std::string Request(const std::string& source, const std::string& trainer,
                    const std::string& rows) {
  return absl::StrCat(R"({"metrics":["bpf_page_cache_hit","bpf_cpu_time_ms","cpu_cycles"],)",
                      R"("values":)", rows, R"(,"output_type":"AbsPower","source":")", source,
                      R"(","system_features":["cpu_architecture"],"system_values":["Sky Lake"],)",
                      R"("trainer_name":")", trainer, R"(","filter":""})");
}

// Answers carry whole milliwatts as Kepler truncates them (plus at most half a milliwatt).
void ExpectSameMilliwatts(double answered, double watts, const std::string& what) {
  EXPECT_EQ(static_cast<uint64_t>(answered * 1000), static_cast<uint64_t>(std::max(0.0, watts) * 1000))
      << what << ": " << answered << " vs " << watts;
}

class EstimatorIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new fs::path(fs::path(::testing::TempDir()) / "estimator_it");
    fs::remove_all(*root_);
    fs::create_directories(*root_ / "models");
    for (const char* pipeline : {"ec2-0.7.11", "specpower-0.7.11"}) {
      fs::copy(std::string("testdata/model-db/") + pipeline, *root_ / "models" / pipeline,
               fs::copy_options::recursive);
    }
    server_ = Subprocess::Start({"server/kepler-model-server",
                                 {"--port=0", "--grpc_port=-1", "--address=127.0.0.1",
                                  "--fetch_initial_pipelines=false",
                                  "--model_path=" + (*root_ / "models").string()},
                                 {{"CONFIG_PATH", "/nonexistent"}},
                                 (*root_ / "server.log").string()})
                  .value()
                  .release();
    int port = core::test_util::IntAfter(server_->WaitForLog("serving HTTP on port ").value(), "")
                   .value();
    // Sandboxed tests may share pids and /tmp: the clock makes the name unique.
    socket_path_ = new std::string(absl::StrCat("/tmp/kepler-est-it-", getpid(), "-",
                                                absl::ToUnixNanos(absl::Now()), ".sock"));
    estimator_ = Subprocess::Start({"estimator/kepler-estimator",
                                    {"--socket=" + *socket_path_,
                                     "--machine_spec=testdata/prom/machine_spec.json",
                                     "--model_path=" + (*root_ / "download").string()},
                                    {{"CONFIG_PATH", "/nonexistent"},
                                     {"MODEL_SERVER_ENABLE", "true"},
                                     {"MODEL_SERVER_URL", absl::StrCat("http://127.0.0.1:", port)},
                                     {"MODEL_TOPURL", "file:///nonexistent"}},
                                    (*root_ / "estimator.log").string()})
                     .value()
                     .release();
    ASSERT_TRUE(estimator_->WaitForLog("kepler-estimator: serving on ").ok());
  }
  static void TearDownTestSuite() {
    delete estimator_;
    delete server_;
  }

  static fs::path* root_;
  static std::string* socket_path_;
  static Subprocess* server_;
  static Subprocess* estimator_;
};

fs::path* EstimatorIntegrationTest::root_;
std::string* EstimatorIntegrationTest::socket_path_;
Subprocess* EstimatorIntegrationTest::server_;
Subprocess* EstimatorIntegrationTest::estimator_;

TEST_F(EstimatorIntegrationTest, LinearWeightsMatchTheDocumentAtMilliwatts) {
  std::string answer = KeplerCall(*socket_path_, Request("intel_rapl", "SGDRegressorTrainer",
                                                         "[[1.0,100.0,5],[0,0,0],[3,95877,1]]"));
  rapidjson::Document doc;
  doc.Parse(answer.c_str());
  ASSERT_FALSE(doc.HasParseError()) << answer;
  ASSERT_TRUE(doc["powers"].IsObject()) << answer;
  EXPECT_STREQ(doc["msg"].GetString(), "") << answer;
  // The machine spec is m5.metal (node type 0, 96 cores); this host's logical CPUs over 96.
  EXPECT_NEAR(doc["core_ratio"].GetDouble(), std::thread::hardware_concurrency() / 96.0, 1e-5);
  auto weights = core::ParseWeightDocument(*core::ReadFile(
      "testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/SGDRegressorTrainer_0.json"));
  ASSERT_TRUE(weights.ok());
  const double rows[3][2] = {{100.0, 1.0}, {0, 0}, {95877, 3}};  // cpu time, page cache hit
  for (const auto& component : weights->components()) {
    const auto& watts = doc["powers"][component.component().c_str()];
    ASSERT_EQ(watts.Size(), 3u) << component.component();
    for (int r = 0; r < 3; ++r) {
      double expected = component.bias_weight();
      for (int f = 0; f < component.feature_names_size(); ++f) {
        double x = component.feature_names(f) == "bpf_cpu_time_ms" ? rows[r][0] : rows[r][1];
        expected += component.numerical_variables(f).weight() * x /
                    component.numerical_variables(f).scale();
      }
      ExpectSameMilliwatts(watts[r].GetDouble(), expected, component.component() + std::to_string(r));
    }
  }
}

TEST_F(EstimatorIntegrationTest, LogisticCurveOnThePlatform) {
  std::string answer = KeplerCall(*socket_path_, Request("acpi", "LogisticRegressionTrainer",
                                                         "[[1.0,2000.0,5]]"));
  rapidjson::Document doc;
  doc.Parse(answer.c_str());
  ASSERT_TRUE(doc.IsObject() && doc["powers"].HasMember("platform")) << answer;
  // The server picks the node type nearest to m5.metal in specpower's index; the log names it.
  auto model = estimator_->WaitForLog("estimator: loaded LogisticRegressionTrainer_");
  ASSERT_TRUE(model.ok()) << model.status();
  std::string name = "LogisticRegressionTrainer_" + model->substr(0, model->find(' '));
  auto weights = core::ParseWeightDocument(*core::ReadFile(
      "testdata/model-db/specpower-0.7.11/acpi/AbsPower/BPFOnly/" + name + ".json"));
  ASSERT_TRUE(weights.ok());
  const auto& platform = weights->components(0);
  const auto& p = platform.curve_fit_weights();  // A, x0, k, offset
  double x = 2000.0 / platform.numerical_variables(0).scale();
  double expected = p[0] / (1 + std::exp(-p[2] * (x - p[1]))) + p[3];
  ExpectSameMilliwatts(doc["powers"]["platform"][0].GetDouble(), expected, answer);
}

TEST_F(EstimatorIntegrationTest, BestEvaluableModelWhenNoTrainerIsNamed) {
  std::string answer = KeplerCall(*socket_path_, Request("intel_rapl", "", "[[0,0,0]]"));
  rapidjson::Document doc;
  doc.Parse(answer.c_str());
  ASSERT_TRUE(doc.IsObject()) << answer;
  EXPECT_STREQ(doc["msg"].GetString(), "") << answer;
  EXPECT_EQ(doc["powers"]["package"].Size(), 1u);
}

TEST_F(EstimatorIntegrationTest, HundredRowsFitInOneKeplerRead) {
  std::string rows = "[";
  for (int i = 0; i < 100; ++i) absl::StrAppend(&rows, i ? "," : "", "[1.5,", 900 + i, ",7]");
  rows += "]";
  std::string answer = KeplerCall(*socket_path_, Request("intel_rapl", "SGDRegressorTrainer", rows));
  rapidjson::Document doc;
  doc.Parse(answer.c_str());
  ASSERT_FALSE(doc.HasParseError()) << answer.size();
  EXPECT_EQ(doc["powers"]["dram"].Size(), 100u);
}

TEST_F(EstimatorIntegrationTest, BadInputAnswersAMessageAndServingGoesOn) {
  struct Case {
    std::string request;
    bool half_close;
  } cases[] = {
      {std::string("\x00\xff\xfe garbage", 12), true},
      {R"({"metrics":["bpf_cpu_time_ms"],"values":[[1)", true},
      {"", true},
      {Request("intel_rapl", "", "[[1,2]]"), false},
      {Request("nvml", "", "[[1,2,3]]"), false},
      {R"({"metrics":[],"values":[],"output_type":"Watts","source":"acpi"})", false},
  };
  for (const Case& c : cases) {
    std::string answer = KeplerCall(*socket_path_, c.request, c.half_close);
    rapidjson::Document doc;
    doc.Parse(answer.c_str());
    ASSERT_TRUE(doc.IsObject()) << answer;
    EXPECT_TRUE(doc["powers"].IsObject());
    EXPECT_GT(doc["msg"].GetStringLength(), 0u) << answer;
  }
  // A 10 MB request is refused without being buffered whole.
  std::string huge = R"({"metrics":["a"],"values":[)" + std::string(10 << 20, ' ');
  std::string refused = KeplerCall(*socket_path_, huge, true);
  EXPECT_NE(refused.find("failed to handle request"), std::string::npos) << refused.substr(0, 200);
  std::string answer = KeplerCall(*socket_path_, Request("acpi", "", "[[0,0,0]]"));
  EXPECT_NE(answer.find("\"platform\""), std::string::npos) << answer;
}

TEST_F(EstimatorIntegrationTest, ZZSigtermRemovesTheSocketAndExitsZero) {
  ASSERT_TRUE(fs::exists(*socket_path_));
  auto code = estimator_->Stop(SIGTERM);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0) << estimator_->Log();
  EXPECT_FALSE(fs::exists(*socket_path_));
}

}  // namespace
}  // namespace kepler::model::estimator
