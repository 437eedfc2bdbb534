// The Prometheus client against a scripted fake HttpClient (envelopes, shapes, reasons) and,
// for transport failures, the real libcurl client against a local file server and a closed port.
#include "trainer/prometheus_client.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/file_util.h"
#include "core/testing/static_file_server.h"
#include "gtest/gtest.h"
#include "trainer/capture.h"

namespace kepler::model::trainer {
namespace {

constexpr char kNames[] =
    R"({"status":"success","data":["go_goroutines","kepler_node_package_joules_total",)"
    R"("kepler_container_bpf_cpu_time_ms_total","kepler_node_platform_joules_total"]})";

std::string Matrix(const std::string& name, const std::string& values) {
  return absl::StrCat(R"({"status":"success","data":{"resultType":"matrix","result":[)",
                      R"({"metric":{"__name__":")", name, R"(","job":"kepler"},"values":)", values,
                      "}]}}");
}

constexpr char kEmpty[] = R"({"status":"success","data":{"resultType":"matrix","result":[]}})";

// Answers by the text between "query=" and the next '&' (or by path for the label list).
class FakeHttp : public core::HttpClient {
 public:
  std::map<std::string, absl::StatusOr<core::HttpResult>> answers;  // key: metric or "names"
  std::vector<std::string> urls;
  std::vector<core::FetchOptions> options;

  absl::StatusOr<core::HttpResult> Get(const std::string& url,
                                       const core::FetchOptions& fetch) override {
    urls.push_back(url);
    options.push_back(fetch);
    std::string key = "names";
    if (size_t at = url.find("query="); at != std::string::npos) {
      key = url.substr(at + 6, url.find('&', at) - at - 6);
    }
    auto it = answers.find(key);
    if (it == answers.end()) return core::HttpResult{200, "application/json", kEmpty};
    return it->second;
  }
  absl::StatusOr<core::HttpResult> Post(const std::string&, std::string, std::string,
                                        const core::FetchOptions&) override {
    return absl::UnimplementedError("POST");
  }
};

core::HttpResult Ok(std::string body) { return {200, "application/json", std::move(body)}; }

class PrometheusClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    http_.answers["names"] = Ok(kNames);
    http_.answers["kepler_node_package_joules_total"] =
        Ok(Matrix("kepler_node_package_joules_total", R"([[1000,"10"],[1003,"40.5"]])"));
    http_.answers["kepler_container_bpf_cpu_time_ms_total"] =
        Ok(Matrix("kepler_container_bpf_cpu_time_ms_total", R"([[1000.5,"1"],[1003.5,"NaN"]])"));
    query_.server = "http://prom:9090/";
    query_.end = absl::FromUnixSeconds(1003);
    query_.interval = absl::Seconds(60);
    query_.step = absl::Seconds(3);
  }
  FakeHttp http_;
  PrometheusQuery query_;
};

TEST_F(PrometheusClientTest, ListsKeplerMetricsAndQueriesEachOverTheWindow) {
  auto capture = QueryCapture(http_, query_);
  ASSERT_TRUE(capture.ok()) << capture.status();
  ASSERT_EQ(http_.urls.size(), 4u);
  EXPECT_EQ(http_.urls[0], "http://prom:9090/api/v1/label/__name__/values");
  EXPECT_EQ(http_.urls[1],
            "http://prom:9090/api/v1/query_range?query=kepler_container_bpf_cpu_time_ms_total"
            "&start=943.000&end=1003.000&step=3");
  for (const std::string& url : http_.urls) EXPECT_FALSE(absl::StrContains(url, "go_goroutines"));
  EXPECT_FALSE(http_.options[0].verify_tls) << "PROM_SSL_DISABLE defaults to true";
}

TEST_F(PrometheusClientTest, CaptureMapsNamesToResultsAndDropsEmptyOnes) {
  auto json = QueryCapture(http_, query_);
  ASSERT_TRUE(json.ok()) << json.status();
  auto capture = Capture::Parse(*json);
  ASSERT_TRUE(capture.ok()) << capture.status() << "\n" << *json;
  EXPECT_EQ(capture->QueryNames(),
            (std::vector<std::string>{"kepler_container_bpf_cpu_time_ms_total",
                                      "kepler_node_package_joules_total"}))
      << "platform answered an empty result and is dropped";
  const SeriesTable* package = capture->Find("kepler_node_package_joules_total");
  ASSERT_NE(package, nullptr);
  EXPECT_EQ(package->Label(0, "job"), "kepler");
  EXPECT_EQ(package->Values(0)[1], 40.5);
  EXPECT_EQ(capture->Find("kepler_container_bpf_cpu_time_ms_total")->Timestamps(0)[0], 1000.5);
}

TEST_F(PrometheusClientTest, ExtraMetricsAreQueriedAndTlsFollowsTheOption) {
  query_.extra_metrics = {"node_cpu_seconds_total", "kepler_node_package_joules_total"};
  query_.verify_tls = true;
  auto names = ListMetricNames(http_, query_);
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_EQ(*names, (std::vector<std::string>{"kepler_container_bpf_cpu_time_ms_total",
                                              "kepler_node_package_joules_total",
                                              "kepler_node_platform_joules_total",
                                              "node_cpu_seconds_total"}));
  EXPECT_TRUE(http_.options[0].verify_tls);
}

TEST_F(PrometheusClientTest, ErrorEnvelopeNamesTheErrorAndTheMetric) {
  http_.answers["kepler_container_bpf_cpu_time_ms_total"] = core::HttpResult{
      422, "application/json",
      R"({"status":"error","errorType":"execution","error":"query processing would load too many samples"})"};
  auto capture = QueryCapture(http_, query_);
  EXPECT_EQ(capture.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(PrometheusFailureReason(capture.status()), "error_response");
  EXPECT_TRUE(absl::StrContains(capture.status().message(), "too many samples"));
  EXPECT_TRUE(absl::StrContains(capture.status().message(), "kepler_container_bpf_cpu_time_ms_total"));
}

TEST_F(PrometheusClientTest, FailureAfterSomeMetricsIsPartial) {
  http_.answers["kepler_node_package_joules_total"] = absl::DeadlineExceededError("timed out");
  auto capture = QueryCapture(http_, query_);
  EXPECT_EQ(capture.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(PrometheusFailureReason(capture.status()), "partial");
  EXPECT_TRUE(absl::StrContains(capture.status().message(), "metric 2 of 3")) << capture.status();
}

TEST_F(PrometheusClientTest, WarningsMeanPartialData) {
  http_.answers["kepler_node_package_joules_total"] = Ok(
      R"({"status":"success","warnings":["remote read failed"],"data":{"resultType":"matrix","result":[]}})");
  auto capture = QueryCapture(http_, query_);
  EXPECT_EQ(PrometheusFailureReason(capture.status()), "partial");
  EXPECT_TRUE(absl::StrContains(capture.status().message(), "remote read failed"));
}

TEST_F(PrometheusClientTest, MalformedAnswersAreBadResponses) {
  for (const std::string& body :
       {std::string("<html>proxy</html>"), std::string(R"({"status":"success"})"),
        std::string(R"({"status":"success","data":{"resultType":"vector","result":[]}})"),
        std::string(R"({"status":"success","data":{"resultType":"matrix","result":{}}})")}) {
    http_.answers["kepler_container_bpf_cpu_time_ms_total"] = Ok(body);
    auto capture = QueryCapture(http_, query_);
    EXPECT_EQ(capture.status().code(), absl::StatusCode::kDataLoss) << body;
    EXPECT_EQ(PrometheusFailureReason(capture.status()), "bad_response") << body;
  }
}

TEST_F(PrometheusClientTest, HttpStatusWithoutEnvelopeIsAnHttpError) {
  http_.answers["names"] = core::HttpResult{502, "text/html", "Bad Gateway"};
  auto capture = QueryCapture(http_, query_);
  EXPECT_EQ(capture.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(PrometheusFailureReason(capture.status()), "http_error");
  EXPECT_TRUE(absl::StrContains(capture.status().message(), "502"));
}

TEST_F(PrometheusClientTest, AnswerOverTheSizeLimitIsABadResponse) {
  query_.max_response_bytes = 1000;
  http_.answers["names"] = absl::ResourceExhaustedError("body over 1000 bytes");
  auto capture = QueryCapture(http_, query_);
  EXPECT_EQ(capture.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(PrometheusFailureReason(capture.status()), "bad_response");
  EXPECT_EQ(http_.options[0].max_bytes, 1000u);
}

TEST_F(PrometheusClientTest, NothingInTheWindowIsNoData) {
  http_.answers.erase("kepler_node_package_joules_total");
  http_.answers.erase("kepler_container_bpf_cpu_time_ms_total");
  auto capture = QueryCapture(http_, query_);
  EXPECT_EQ(capture.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(PrometheusFailureReason(capture.status()), "no_data");
}

TEST_F(PrometheusClientTest, OtherStatusesHaveNoReason) {
  EXPECT_EQ(PrometheusFailureReason(absl::OkStatus()), "");
  EXPECT_EQ(PrometheusFailureReason(absl::InternalError("x")), "");
}

// A TCP port nothing listens on (bound, then closed).
int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

TEST(PrometheusClientCurlTest, RefusedConnectionIsUnreachable) {
  auto http = core::NewCurlHttpClient();
  PrometheusQuery query;
  query.server = absl::StrCat("http://127.0.0.1:", ClosedPort());
  auto capture = QueryCapture(*http, query);
  EXPECT_EQ(capture.status().code(), absl::StatusCode::kUnavailable) << capture.status();
  EXPECT_EQ(PrometheusFailureReason(capture.status()), "unreachable");
}

TEST(PrometheusClientCurlTest, SlowServerIsATimeout) {
  std::string root = *core::MakeTempDir("prom-slow");
  ASSERT_TRUE(core::MakeDirs(root + "/api/v1/label/__name__").ok());
  ASSERT_TRUE(core::WriteFileAtomic(root + "/api/v1/label/__name__/values", kNames).ok());
  core::test_util::StaticFileServer::Options options;
  options.root = root;
  options.delay = absl::Seconds(30);
  auto server = core::test_util::StaticFileServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  auto http = core::NewCurlHttpClient();
  PrometheusQuery query;
  query.server = (*server)->Url("/slow");
  query.request_timeout = absl::Milliseconds(200);
  auto capture = QueryCapture(*http, query);
  EXPECT_EQ(capture.status().code(), absl::StatusCode::kDeadlineExceeded) << capture.status();
  EXPECT_EQ(PrometheusFailureReason(capture.status()), "timeout");
  // Served without delay, the same file lists the names through the real client.
  query.server = (*server)->Url("");
  auto names = ListMetricNames(*http, query);
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_EQ(names->size(), 3u);
  server->reset();
  (void)core::RemoveAll(root);
}

}  // namespace
}  // namespace kepler::model::trainer
