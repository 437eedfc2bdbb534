// EstimatorService over a real acquirer fetching file:// init URLs (the real HttpClient) from the
// published fixtures; answers checked against golden vectors produced by Python xgboost.
#include "estimator/estimator_service.h"

#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "gateway/model_server_json_client.h"
#include "gtest/gtest.h"

namespace kepler::model::estimator {
namespace {

namespace fs = std::filesystem;

std::string FileUrl(const std::string& relative) {
  return "file://" + fs::absolute(relative).string();
}

class EstimatorServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    download_ = fs::path(::testing::TempDir()) / "estimator_service_test";
    fs::remove_all(download_);
    env_["NODE_COMPONENTS_INIT_URL"] =
        FileUrl("testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/XgboostFitTrainer_0.zip");
    env_["MODEL_TOPURL"] = "file:///nonexistent";
    http_ = core::NewCurlHttpClient();
    model_server_ = std::make_unique<gateway::ModelServerJsonClient>(http_.get(),
                                                                     core::FetchOptions());
  }
  void Start(int logical_cpus = 48) {
    config_ = std::make_unique<core::Config>(core::Config::FromMap(env_));
    ModelAcquirer::Options options;
    options.config = [this] { return ReadEstimatorConfig(*config_); };
    options.logical_cpus = logical_cpus;
    options.download_path = download_.string();
    acquirer_ = std::make_unique<ModelAcquirer>(options, http_.get(), model_server_.get());
    cache_ = std::make_unique<ModelCache>(ModelCache::Options{});
    service_ = std::make_unique<EstimatorService>(acquirer_.get(), cache_.get());
  }
  static v1::EstimateRequest Request(const std::vector<std::vector<double>>& rows) {
    v1::EstimateRequest request;
    // Request order differs from the model's and carries an extra metric: columns go by name.
    for (const char* metric : {"cpu_cycles", "bpf_page_cache_hit", "bpf_cpu_time_ms"}) {
      request.add_metrics(metric);
    }
    for (const auto& row : rows) {
      auto* out = request.add_values();
      out->add_values(7);
      out->add_values(row[1]);
      out->add_values(row[0]);
    }
    request.set_output_type(v1::AbsPower);
    request.set_source("intel_rapl");
    request.add_system_features("cpu_architecture");
    request.add_system_values("Sky Lake");
    return request;
  }

  // Estimates the golden file's input rows with the started service and compares every watt
  // (negatives clamped) within `tolerance` relative, except the KNN tie rows the file lists.
  void ExpectGoldenWatts(const std::string& golden_path, const std::string& model,
                         double tolerance) {
    auto golden = core::ParseJson(*core::ReadFile(golden_path));
    ASSERT_TRUE(golden.ok()) << golden_path;
    std::vector<std::vector<double>> rows;
    for (const auto& input : (*golden)["inputs"].GetArray()) {
      rows.push_back({input[0].GetDouble(), input[1].GetDouble()});
    }
    auto response = service_->EstimatePower(Request(rows));
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->model_name(), model);
    ASSERT_EQ(response->powers_size(), 4);
    for (const auto& power : response->powers()) {
      const auto& expected = (*golden)["outputs"][power.component().c_str()];
      ASSERT_EQ(power.watts_size(), static_cast<int>(expected.Size()));
      std::set<int> ties;  // rows where the KNN tie rule, not scikit-learn's search order, decides
      if (const auto* knn = core::FindMember(*golden, "knn_ties")) {
        for (const auto& row : (*knn)[power.component().c_str()].GetArray()) ties.insert(row.GetInt());
      }
      for (int r = 0; r < power.watts_size(); ++r) {
        if (ties.count(r) > 0) continue;
        const double want = std::max(0.0, expected[r].GetDouble());
        EXPECT_NEAR(power.watts(r), want, tolerance * std::max(1.0, want))
            << model << " " << power.component() << " row " << r;
      }
    }
  }

  fs::path download_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<core::HttpClient> http_;
  std::unique_ptr<gateway::ModelServerJsonClient> model_server_;
  std::unique_ptr<core::Config> config_;
  std::unique_ptr<ModelAcquirer> acquirer_;
  std::unique_ptr<ModelCache> cache_;
  std::unique_ptr<EstimatorService> service_;
};

TEST_F(EstimatorServiceTest, XgboostArchiveMatchesPythonXgboost) {
  Start();
  ExpectGoldenWatts("testdata/golden/xgboost_ec2_0.json", "XgboostFitTrainer_0", 1e-4);
}

TEST_F(EstimatorServiceTest, CoreRatioComesWithEveryAnswer) {
  // The published archive has no machine spec: the ratio is 1, on every answer.
  Start(/*logical_cpus=*/48);
  for (int i = 0; i < 2; ++i) {
    auto response = service_->EstimatePower(Request({{1000, 1}}));
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->core_ratio(), 1);
  }
}

TEST_F(EstimatorServiceTest, KeepsALocalCopyUsedWhenTheSourceIsGone) {
  Start();
  ASSERT_TRUE(service_->EstimatePower(Request({{1000, 1}})).ok());
  EXPECT_TRUE(fs::exists(download_ / "rapl-sysfs" / "AbsPower.zip"));
  env_["NODE_COMPONENTS_INIT_URL"] = "file:///nonexistent/model.zip";
  Start();  // a new process: empty cache, source gone
  auto response = service_->EstimatePower(Request({{1000, 1}}));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->model_name(), "XgboostFitTrainer_0");
}

TEST_F(EstimatorServiceTest, ModelNeedingAMissingFeatureIsRejected) {
  Start();
  v1::EstimateRequest request = Request({{1, 1}});
  request.clear_metrics();
  request.add_metrics("cpu_cycles");
  request.add_metrics("cache_miss");
  request.add_metrics("bpf_cpu_time_ms");
  auto response = service_->EstimatePower(request);
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.status().message().find("model needs feature bpf_page_cache_hit"),
            std::string::npos)
      << response.status();
}

// The published pickles (scikit-learn KNN and GradientBoosting) answer scikit-learn's watts.
TEST_F(EstimatorServiceTest, PickledArchivesMatchScikitLearn) {
  for (const char* model : {"KNeighborsRegressorTrainer_0", "GradientBoostingRegressorTrainer_0"}) {
    env_["NODE_COMPONENTS_INIT_URL"] = FileUrl(
        absl::StrCat("testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/", model, ".zip"));
    Start();
    ExpectGoldenWatts(
        absl::StrCat("testdata/golden/sklearn/ec2-0.7.11_rapl-sysfs_AbsPower_", model, ".json"),
        model, 1e-9);
  }
}

TEST_F(EstimatorServiceTest, DynPowerNeverGetsTheAbsPowerInitModel) {
  Start();
  v1::EstimateRequest request = Request({{1, 1}});
  request.set_output_type(v1::DynPower);
  auto response = service_->EstimatePower(request);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kNotFound) << response.status();
}

TEST_F(EstimatorServiceTest, MalformedRequestsNameTheProblem) {
  Start();
  struct Case {
    std::function<void(v1::EstimateRequest&)> mutate;
    std::string mentions;
  } cases[] = {
      {[](auto& r) { r.mutable_values(0)->add_values(1); }, "row 0 has 4 values for 3 metrics"},
      {[](auto& r) { r.mutable_values(0)->set_values(1, NAN); }, "not finite"},
      {[](auto& r) { r.mutable_values(0)->set_values(2, INFINITY); }, "not finite"},
      {[](auto& r) { r.set_source("nvml"); }, "nvml"},
      {[](auto& r) { r.clear_system_values(); }, "system_values"},
      {[](auto& r) { r.set_output_type(v1::OUTPUT_TYPE_UNSPECIFIED); }, "output_type"},
      {[](auto& r) { r.set_filter("accuracy:3"); }, "accuracy"},
  };
  for (const Case& c : cases) {
    v1::EstimateRequest request = Request({{1, 1}});
    c.mutate(request);
    auto response = service_->EstimatePower(request);
    ASSERT_FALSE(response.ok()) << c.mentions;
    EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument) << response.status();
    EXPECT_NE(response.status().message().find(c.mentions), std::string::npos) << response.status();
  }
}

TEST_F(EstimatorServiceTest, ZeroRowsAnswerEmptyLists) {
  Start();
  auto response = service_->EstimatePower(Request({}));
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->powers_size(), 4);
  EXPECT_EQ(response->powers(0).watts_size(), 0);
}

}  // namespace
}  // namespace kepler::model::estimator
