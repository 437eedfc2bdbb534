// End to end: runs the real `kepler-model query` against a fake Prometheus (the HTTP API's
// label-values and query_range endpoints, answering from a generated capture), then trains on
// what it wrote.
#include <filesystem>
#include <map>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/synchronization/mutex.h"
#include "gateway/http_server.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "tools/cli/testing/cli_runner.h"
#include "trainer/capture.h"

namespace kepler::model::tools::cli {
namespace {

namespace fs = std::filesystem;
using gateway::HttpRequest;
using gateway::HttpResponse;
using testing::CliResult;
using testing::RunKeplerModel;

std::string Write(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

// Answers the two Prometheus API calls from a capture's query -> series map.
class FakePrometheus {
 public:
  explicit FakePrometheus(const std::string& capture_json) {
    rapidjson::Document doc;
    doc.Parse(capture_json.c_str());
    std::string names;
    for (auto& member : doc.GetObject()) {
      results_[member.name.GetString()] = Write(member.value);
      names += (names.empty() ? "\"" : ",\"") + std::string(member.name.GetString()) + "\"";
    }
    names_ = R"({"status":"success","data":[)" + names + R"(,"go_goroutines"]})";
    gateway::HttpServer::Options options;
    options.address = "127.0.0.1";
    options.routes.push_back({"GET", "/api/v1/label/__name__/values",
                              [this](const HttpRequest&) { return Json(names_); }});
    options.routes.push_back(
        {"GET", "/api/v1/query_range", [this](const HttpRequest& r) { return Range(r); }});
    server_ = *gateway::HttpServer::Create(std::move(options));
  }
  ~FakePrometheus() { server_->Stop(); }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }
  // The last query_range's step and end - start, in seconds.
  std::pair<double, double> last_step_and_span() {
    absl::MutexLock lock(&mu_);
    return {step_, span_};
  }
  void set_error(bool error) {
    absl::MutexLock lock(&mu_);
    error_ = error;
  }

 private:
  static HttpResponse Json(std::string body, int status = 200) {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    return response;
  }
  HttpResponse Range(const HttpRequest& request) {
    absl::MutexLock lock(&mu_);
    double start = 0, end = 0;
    (void)absl::SimpleAtod(*request.FindQuery("start"), &start);
    (void)absl::SimpleAtod(*request.FindQuery("end"), &end);
    (void)absl::SimpleAtod(*request.FindQuery("step"), &step_);
    span_ = end - start;
    if (error_) {
      return Json(R"({"status":"error","errorType":"execution","error":"query timed out"})", 422);
    }
    auto it = results_.find(*request.FindQuery("query"));
    std::string result = it == results_.end() ? "[]" : it->second;
    return Json(R"({"status":"success","data":{"resultType":"matrix","result":)" + result + "}}");
  }

  std::map<std::string, std::string> results_;
  std::string names_;
  std::unique_ptr<gateway::HttpServer> server_;
  absl::Mutex mu_;
  double step_ = 0, span_ = 0;
  bool error_ = false;
};

class QueryCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::FreshDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    GeneratorOptions options;
    options.containers = 5;
    generated_ = testing::WriteCapture(dir_ + "/generated.json", options);
    prometheus_ = std::make_unique<FakePrometheus>(testing::ReadText(generated_));
  }
  std::string dir_, generated_;
  std::unique_ptr<FakePrometheus> prometheus_;
};

TEST_F(QueryCommandTest, WritesTheCaptureTheServerHolds) {
  std::string out = dir_ + "/captured.json";
  CliResult r = RunKeplerModel({"query", "--server=" + prometheus_->url(), "--interval=600",
                                "--step=5", "--end=1702462899", "--output=" + out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote " + out), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("trainable feature groups: CounterOnly, BPFOnly"), std::string::npos)
      << r.out;
  EXPECT_EQ(prometheus_->last_step_and_span(), std::make_pair(5.0, 600.0));
  auto captured = trainer::Capture::ReadFile(out);
  auto generated = trainer::Capture::ReadFile(generated_);
  ASSERT_TRUE(captured.ok()) << captured.status();
  EXPECT_EQ(captured->QueryNames(), generated->QueryNames()) << "go_goroutines is not queried";
  EXPECT_EQ(captured->num_samples(), generated->num_samples());
  CliResult trained =
      RunKeplerModel({"train", "--output=" + dir_ + "/p", "--trainers=LinearRegression",
                      "--feature-groups=BPFOnly", out});
  EXPECT_EQ(trained.exit_code, 0) << trained.err;
}

TEST_F(QueryCommandTest, ReadsDefaultsFromTheConfiguration) {
  std::string out = dir_ + "/captured.json";
  CliResult r = RunKeplerModel({"query", "--output=" + out}, {{"CONFIG_PATH", dir_ + "/no-config"},
                                                              {"PROM_SERVER", prometheus_->url()},
                                                              {"PROM_QUERY_INTERVAL", "120"},
                                                              {"PROM_QUERY_STEP", "2"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(prometheus_->last_step_and_span(), std::make_pair(2.0, 120.0));
}

TEST_F(QueryCommandTest, ServerFailuresExitWithOne) {
  prometheus_->set_error(true);
  CliResult error =
      RunKeplerModel({"query", "--server=" + prometheus_->url(), "--output=" + dir_ + "/x.json"});
  EXPECT_EQ(error.exit_code, 1);
  EXPECT_NE(error.err.find("error_response"), std::string::npos) << error.err;
  EXPECT_NE(error.err.find("query timed out"), std::string::npos) << error.err;
  EXPECT_FALSE(fs::exists(dir_ + "/x.json"));
  CliResult down =
      RunKeplerModel({"query", "--server=http://127.0.0.1:1", "--output=" + dir_ + "/x.json"});
  EXPECT_EQ(down.exit_code, 1);
  EXPECT_NE(down.err.find("unreachable"), std::string::npos) << down.err;
}

TEST_F(QueryCommandTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(RunKeplerModel({"query", "--server=" + prometheus_->url()}).exit_code, 2);
  EXPECT_EQ(RunKeplerModel({"query", "--output=x", "--step=0"}).exit_code, 2);
  EXPECT_EQ(RunKeplerModel({"query", "--output=x", "--end=yesterday"}).exit_code, 2);
  EXPECT_EQ(RunKeplerModel({"query", "--output=x", "extra"}).exit_code, 2);
  CliResult help = RunKeplerModel({"query", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("PROM_SERVER"), std::string::npos);
}

}  // namespace
}  // namespace kepler::model::tools::cli
