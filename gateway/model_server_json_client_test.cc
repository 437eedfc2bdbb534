// ModelServerJsonClient: the exact POST /model body, the status mapping, and weight answers
// packed as archives. A fake HttpClient stands in for the model server.
#include "gateway/model_server_json_client.h"

#include <map>
#include <utility>

#include "core/archive.h"
#include "core/json_util.h"
#include "gtest/gtest.h"

namespace kepler::model::gateway {
namespace {

constexpr char kWeightAnswer[] =
    R"({"model_name": "SGDRegressorTrainer_1", "mae": 2.5, "machine_spec": {"cores": 8},)"
    R"( "package": {"All_Weights": {"Bias_Weight": 1.0, "Categorical_Variables": {},)"
    R"( "Numerical_Variables": {"bpf_cpu_time_ms": {"scale": 1.0, "weight": 0.5}}}}})";

// Records the last POST and answers with a canned result.
class FakeHttpClient : public core::HttpClient {
 public:
  absl::StatusOr<core::HttpResult> Get(const std::string&, const core::FetchOptions&) override {
    return absl::UnimplementedError("GET");
  }
  absl::StatusOr<core::HttpResult> Post(const std::string& url, std::string body,
                                        std::string content_type,
                                        const core::FetchOptions&) override {
    url_ = url;
    body_ = std::move(body);
    content_type_ = std::move(content_type);
    return answer_;
  }

  absl::StatusOr<core::HttpResult> answer_ = core::HttpResult{200, "", "zip bytes"};
  std::string url_, body_, content_type_;
};

estimator::AcquireRequest Request(const std::string& trainer) {
  estimator::AcquireRequest request;
  request.source = "rapl-sysfs";
  request.output_type = v1::AbsPower;
  request.features = {"bpf_cpu_time_ms", "cpu_architecture"};
  request.trainer_name = trainer;
  return request;
}

v1::MachineSpec Spec() {
  v1::MachineSpec spec;
  spec.set_processor("intel_xeon_platinum_8259cl");
  spec.set_vendor("intel");
  spec.set_cores(96);
  spec.set_chips(2);
  spec.set_memory(384);
  spec.set_frequency(3100);
  spec.set_threads_per_core(2);
  return spec;
}

std::map<std::string, std::string> Unzip(const std::string& zip) {
  auto entries = core::ReadZip(zip, core::ArchiveLimits());
  EXPECT_TRUE(entries.ok()) << entries.status();
  std::map<std::string, std::string> files;
  if (entries.ok()) {
    for (auto& entry : *entries) files[entry.name] = std::move(entry.data);
  }
  return files;
}

TEST(ModelRequestBodyTest, WithoutTrainerNameIsExact) {
  EXPECT_EQ(ModelRequestBody(Request(""), Spec(), /*weight=*/false),
            R"({"metrics":["bpf_cpu_time_ms","cpu_architecture"],"output_type":"AbsPower",)"
            R"("source":"rapl-sysfs","filter":"","trainer_name":"",)"
            R"("machine_spec":{"processor":"intel_xeon_platinum_8259cl","cores":96,"chips":2,)"
            R"("memory":384,"frequency":3100,"threads_per_core":2,"vendor":"intel"},)"
            R"("weight":false})");
}

TEST(ModelRequestBodyTest, WithTrainerNameAndWeightIsExact) {
  estimator::AcquireRequest request = Request("XgboostFitTrainer");
  request.output_type = v1::DynPower;
  request.filter = "mae<10";
  EXPECT_EQ(ModelRequestBody(request, v1::MachineSpec(), /*weight=*/true),
            R"({"metrics":["bpf_cpu_time_ms","cpu_architecture"],"output_type":"DynPower",)"
            R"("source":"rapl-sysfs","filter":"mae<10","trainer_name":"XgboostFitTrainer",)"
            R"("machine_spec":{"processor":"","cores":0,"chips":0,"memory":0,"frequency":0,)"
            R"("threads_per_core":0,"vendor":""},"weight":true})");
}

TEST(ModelServerJsonClientTest, PostsJsonAndReturnsTheArchive) {
  FakeHttpClient http;
  ModelServerJsonClient client(&http, core::FetchOptions());
  auto archive = client.FetchModel("http://server:8100/model", Request(""), Spec(), false);
  ASSERT_TRUE(archive.ok()) << archive.status();
  EXPECT_EQ(*archive, "zip bytes");
  EXPECT_EQ(http.url_, "http://server:8100/model");
  EXPECT_EQ(http.content_type_, "application/json");
  EXPECT_EQ(http.body_, ModelRequestBody(Request(""), Spec(), false));
}

TEST(ModelServerJsonClientTest, MapsStatusesAndTransportErrors) {
  FakeHttpClient http;
  ModelServerJsonClient client(&http, core::FetchOptions());
  http.answer_ = core::HttpResult{404, "", "no model"};
  auto missing = client.FetchModel("http://s/model", Request(""), Spec(), false);
  EXPECT_EQ(missing.status(), absl::NotFoundError("HTTP 404"));
  http.answer_ = core::HttpResult{500, "", "oops"};
  auto failed = client.FetchModel("http://s/model", Request(""), Spec(), true);
  EXPECT_EQ(failed.status(), absl::UnavailableError("HTTP 500"));
  http.answer_ = absl::DeadlineExceededError("http://s/model: timed out");
  auto slow = client.FetchModel("http://s/model", Request(""), Spec(), false);
  EXPECT_EQ(slow.status(), absl::DeadlineExceededError("http://s/model: timed out"));
}

TEST(ModelServerJsonClientTest, PacksAWeightAnswerAsAnArchive) {
  FakeHttpClient http;
  http.answer_ = core::HttpResult{200, "application/json", kWeightAnswer};
  ModelServerJsonClient client(&http, core::FetchOptions());
  auto archive = client.FetchModel("http://s/model", Request(""), Spec(), true);
  ASSERT_TRUE(archive.ok()) << archive.status();
  auto files = Unzip(*archive);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files["weight.json"],
            R"({"package":{"All_Weights":{"Bias_Weight":1.0,"Categorical_Variables":{},)"
            R"("Numerical_Variables":{"bpf_cpu_time_ms":{"scale":1.0,"weight":0.5}}}}})");
  auto metadata = core::ParseJson(files["metadata.json"]);
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_STREQ((*metadata)["model_name"].GetString(), "SGDRegressorTrainer_1");
  EXPECT_STREQ((*metadata)["trainer"].GetString(), "SGDRegressorTrainer");
  EXPECT_STREQ((*metadata)["model_class"].GetString(), "scikit");
  EXPECT_STREQ((*metadata)["output_type"].GetString(), "AbsPower");
  EXPECT_EQ((*metadata)["node_type"].GetInt(), 1);
  EXPECT_EQ((*metadata)["mae"].GetDouble(), 2.5);
  EXPECT_EQ((*metadata)["machine_spec"]["cores"].GetInt(), 8);
  ASSERT_EQ((*metadata)["features"].Size(), 1u);
  EXPECT_STREQ((*metadata)["features"][0].GetString(), "bpf_cpu_time_ms");
}

TEST(WeightAnswerToArchiveTest, CurveFitTrainerIsMarkedCurvefit) {
  std::string answer = kWeightAnswer;
  answer.replace(answer.find("SGDRegressorTrainer"), 19, "LogisticRegressionTrainer");
  auto archive = WeightAnswerToArchive(answer, v1::DynPower);
  // A Logistic document needs 4 CurveFit_Weights to be evaluated, but packing only labels it.
  ASSERT_TRUE(archive.ok()) << archive.status();
  auto metadata = core::ParseJson(Unzip(*archive)["metadata.json"]);
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_STREQ((*metadata)["model_class"].GetString(), "curvefit");
  EXPECT_STREQ((*metadata)["output_type"].GetString(), "DynPower");
}

TEST(WeightAnswerToArchiveTest, RejectsAnAnswerWithoutModelName) {
  std::string answer = kWeightAnswer;
  answer.erase(1, answer.find("\"mae\"") - 1);
  auto archive = WeightAnswerToArchive(answer, v1::AbsPower);
  EXPECT_EQ(archive.status(),
            absl::InvalidArgumentError("weight answer without model_name or components"));
}

TEST(WeightAnswerToArchiveTest, RejectsABadModelName) {
  std::string answer = kWeightAnswer;
  answer.replace(answer.find("SGDRegressorTrainer_1"), 21, "nounderscore");
  auto archive = WeightAnswerToArchive(answer, v1::AbsPower);
  EXPECT_EQ(archive.status(), absl::InvalidArgumentError("weight answer with a bad model_name"));
}

TEST(WeightAnswerToArchiveTest, RejectsTextThatIsNotJson) {
  auto archive = WeightAnswerToArchive("PK\x03\x04 not json", v1::AbsPower);
  EXPECT_EQ(archive.status().code(), absl::StatusCode::kInvalidArgument);
  FakeHttpClient http;
  http.answer_ = core::HttpResult{200, "", "<html>oops</html>"};
  ModelServerJsonClient client(&http, core::FetchOptions());
  auto fetched = client.FetchModel("http://s/model", Request(""), Spec(), true);
  EXPECT_EQ(fetched.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kepler::model::gateway
