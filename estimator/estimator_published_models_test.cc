// The real kepler-estimator started exactly as the reference's deployments start it: compose
// (reference-deployment §3.1: the GradientBoosting INIT_URLs of ec2-0.7.11 rapl-sysfs and
// specpower-0.7.11 acpi) and the Kubernetes sidecar patch (§2.4: the SGDRegressorTrainer_0 ones,
// through MODEL_CONFIG), with the model database served over HTTP by a local file server.
// A client that behaves like Kepler (one write, one 4096-byte read, uint64(w * 1000)) must get
// exactly the milliwatts of scikit-learn's predictions (testdata/golden/sklearn/).
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "core/testing/static_file_server.h"
#include "core/testing/subprocess.h"
#include "gateway/testing/kepler_socket_client.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"

namespace kepler::model::estimator {
namespace {

namespace fs = std::filesystem;
using core::test_util::StaticFileServer;
using core::test_util::Subprocess;

struct Golden {
  std::vector<std::vector<double>> inputs;           // bpf_cpu_time_ms, bpf_page_cache_hit
  std::vector<std::pair<std::string, std::vector<double>>> outputs;  // component -> watts
};

Golden ReadGolden(const std::string& name) {
  Golden golden;
  auto doc = core::ParseJson(*core::ReadFile("testdata/golden/sklearn/" + name + ".json"));
  EXPECT_TRUE(doc.ok()) << name;
  if (!doc.ok()) return golden;
  EXPECT_EQ(std::string(core::StringView((*doc)["features"][0])), "bpf_cpu_time_ms");
  for (const auto& row : (*doc)["inputs"].GetArray()) {
    golden.inputs.push_back({row[0].GetDouble(), row[1].GetDouble()});
  }
  for (const auto& member : (*doc)["outputs"].GetObject()) {
    std::vector<double> watts;
    for (const auto& w : member.value.GetArray()) watts.push_back(w.GetDouble());
    golden.outputs.emplace_back(std::string(core::StringView(member.name)), std::move(watts));
  }
  return golden;
}

// Kepler's request for one node: metrics in Go map order, the two BPF counters and the
// hardware counters it also sends, one row.
std::string KeplerRequest(const std::string& source, const std::vector<double>& row) {
  return absl::StrCat(
      R"({"metrics":["cpu_cycles","bpf_page_cache_hit","cpu_instructions","bpf_cpu_time_ms"],)",
      R"("values":[[12345,)", absl::StrFormat("%.17g,6789,%.17g", row[1], row[0]),
      R"(]],"output_type":"AbsPower",)",
      R"("source":")", source,
      R"(","system_features":["cpu_architecture"],"system_values":["Sky Lake"],)",
      R"("trainer_name":"","filter":""})");
}

uint64_t KeplerMilliwatts(double watts) { return static_cast<uint64_t>(watts * 1000); }

class PublishedModelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / "published_models_test";
    fs::remove_all(root_);
    fs::create_directories(root_);
    StaticFileServer::Options options;
    options.root = fs::absolute("testdata/model-db").string();
    server_ = *StaticFileServer::Start(options);
  }

  void StartEstimator(std::vector<std::pair<std::string, std::string>> env) {
    socket_ = absl::StrCat("/tmp/kepler-est-pub-", getpid(), "-",
                           absl::ToUnixNanos(absl::Now()), ".sock");
    env.emplace_back("CONFIG_PATH", "/nonexistent");
    env.emplace_back("MODEL_TOPURL", "file:///nonexistent");
    estimator_ = *Subprocess::Start({"estimator/kepler-estimator",
                                     {"--socket=" + socket_,
                                      "--machine_spec=testdata/prom/machine_spec.json",
                                      "--model_path=" + (root_ / "download").string()},
                                     {env.begin(), env.end()},
                                     (root_ / "estimator.log").string()});
    ASSERT_TRUE(estimator_->WaitForLog("kepler-estimator: serving on ").ok());
  }

  // Every golden row, one Kepler call each: Kepler's milliwatts equal scikit-learn's.
  void ExpectKeplerGetsScikitLearnsMilliwatts(const std::string& source, const std::string& golden_name) {
    const Golden golden = ReadGolden(golden_name);
    ASSERT_GT(golden.inputs.size(), 30u);
    for (size_t r = 0; r < golden.inputs.size(); ++r) {
      std::string answer =
          gateway::testing::KeplerCall(socket_, KeplerRequest(source, golden.inputs[r]));
      ASSERT_LT(answer.size(), 4096u);
      rapidjson::Document doc;
      doc.Parse(answer.c_str());
      ASSERT_TRUE(doc.IsObject() && doc["powers"].IsObject()) << answer;
      ASSERT_STREQ(doc["msg"].GetString(), "") << answer;
      for (const auto& [component, watts] : golden.outputs) {
        ASSERT_TRUE(doc["powers"].HasMember(component.c_str())) << component << ": " << answer;
        const auto& got = doc["powers"][component.c_str()];
        ASSERT_EQ(got.Size(), 1u) << answer;
        EXPECT_EQ(KeplerMilliwatts(got[0].GetDouble()), KeplerMilliwatts(watts[r]))
            << golden_name << " " << component << " row " << r << ": " << answer << " vs "
            << watts[r];
      }
    }
  }

  fs::path root_;
  std::unique_ptr<StaticFileServer> server_;
  std::unique_ptr<Subprocess> estimator_;
  std::string socket_;
};

// Compose (§3.1): the estimator's environment names the two GradientBoosting archives.
TEST_F(PublishedModelsTest, ComposeGradientBoostingInitUrls) {
  StartEstimator({{"NODE_COMPONENTS_INIT_URL",
                   server_->Url("ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/GradientBoostingRegressorTrainer_0.zip")},
                  {"NODE_TOTAL_INIT_URL",
                   server_->Url("specpower-0.7.11/acpi/AbsPower/BPFOnly/GradientBoostingRegressorTrainer_0.zip")}});
  ExpectKeplerGetsScikitLearnsMilliwatts("intel_rapl",
                                         "ec2-0.7.11_rapl-sysfs_AbsPower_GradientBoostingRegressorTrainer_0");
  ExpectKeplerGetsScikitLearnsMilliwatts("acpi",
                                         "specpower-0.7.11_acpi_AbsPower_GradientBoostingRegressorTrainer_0");
  EXPECT_TRUE(estimator_->WaitForLog("estimator: loaded GradientBoostingRegressorTrainer_0 from http").ok());
}

// The Kubernetes sidecar patch (§2.4): MODEL_CONFIG lines name the SGD archives, whose weight
// documents are siblings outside the zip; the pickles inside are evaluated.
TEST_F(PublishedModelsTest, SidecarModelConfigSgdInitUrls) {
  StartEstimator({{"MODEL_CONFIG",
                   absl::StrCat("NODE_COMPONENTS_ESTIMATOR=true\nNODE_COMPONENTS_INIT_URL=",
                                server_->Url("ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/SGDRegressorTrainer_0.zip"),
                                "\nNODE_TOTAL_ESTIMATOR=true\nNODE_TOTAL_INIT_URL=",
                                server_->Url("specpower-0.7.11/acpi/AbsPower/BPFOnly/SGDRegressorTrainer_0.zip"),
                                "\n")}});
  ExpectKeplerGetsScikitLearnsMilliwatts("intel_rapl", "ec2-0.7.11_rapl-sysfs_AbsPower_SGDRegressorTrainer_0");
  ExpectKeplerGetsScikitLearnsMilliwatts("acpi", "specpower-0.7.11_acpi_AbsPower_SGDRegressorTrainer_0");
}

}  // namespace
}  // namespace kepler::model::estimator
