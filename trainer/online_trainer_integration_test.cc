// The online trainer against a real Prometheus (Debian's `prometheus`, backfilled with a generated
// capture by promtool), publishing into a model path that the real model server watches, with
// the real estimator asking the server for models:
//   1. end to end: the published models estimate watts close to the generator's truth;
//   2. live publishing under load: steady POST /model traffic while new versions are published
//      never fails and never sees a mix, and answers move on to each new version;
//   3. Prometheus down: rounds fail with the reason and back off, the pipeline stays served, and
//      training resumes when Prometheus is back.
// The generated data runs from 5 minutes before the test into the future, so each round's
// window [now - 300 s, now] holds different rows and every publish is a new version.
// Skips (with the reason) only when the prometheus package is not installed; tools/setup.sh
// installs it.
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <functional>
#include <iostream>
#include <set>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "core/file_util.h"
#include "core/testing/subprocess.h"
#include "gateway/testing/http_client.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "tools/capture_generator.h"
#include "tools/capture_openmetrics.h"
#include "trainer/capture.h"
#include "trainer/testing/prometheus_server.h"

namespace kepler::model::trainer {
namespace {

namespace fs = std::filesystem;
using core::test_util::Subprocess;
using gateway::testing::HttpGet;
using gateway::testing::HttpPost;
using testing::PrometheusServer;

constexpr char kWeightFile[] =
    "models/std_v0.7.11/rapl-sysfs/AbsPower/BPFOnly/SGDRegressorTrainer_0.json";
// What Kepler sends for its node's AbsPower weights (kepler-clients §1.3).
constexpr char kModelRequest[] =
    R"({"metrics":["bpf_cpu_time_ms","bpf_page_cache_hit"],"output_type":"AbsPower",)"
    R"("source":"intel_rapl","node_type":0,"weight":true,"trainer_name":"SGDRegressorTrainer",)"
    R"("filter":""})";

// Polls `done` every 20 ms until it is true or `guard` (a hang guard, not a timing check) passes.
bool WaitFor(const std::function<bool()>& done, absl::Duration guard = absl::Seconds(90)) {
  absl::Time deadline = absl::Now() + guard;
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return done();
}

// The components of a weight document (served or on disk) in a fixed order, "" when the text is
// not a complete document.
std::string Canonical(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  if (doc.HasParseError() || !doc.IsObject()) return "";
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartArray();
  for (const char* component : {"package", "core", "uncore", "dram"}) {
    if (!doc.HasMember(component)) return "";
    doc[component].Accept(writer);
  }
  writer.EndArray();
  return buffer.GetString();
}

// Kepler's sidecar client: one connection, one write, one read.
std::string EstimatorCall(const std::string& socket_path, const std::string& request) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  strncpy(address.sun_path, socket_path.c_str(), sizeof(address.sun_path) - 1);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return "connect failed";
  }
  (void)send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string answer;
  char buffer[65536];
  for (ssize_t n; (n = read(fd, buffer, sizeof(buffer))) > 0;) answer.append(buffer, n);
  close(fd);
  return answer;
}

class OnlineTrainerIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    installed_ = !PrometheusServer::FindBinary("prometheus").empty() &&
                 !PrometheusServer::FindBinary("promtool").empty();
    if (!installed_) return;  // every test skips with the reason
    root_ = new fs::path(fs::path(::testing::TempDir()) / "online_it");
    fs::remove_all(*root_);
    fs::create_directories(*root_ / "models");
    generated_ = new tools::GeneratedCapture(GenerateData());
    StartPrometheus();
    StartServices();
  }

  static void TearDownTestSuite() {
    if (estimator_ != nullptr) (void)estimator_->Stop(SIGTERM);  // removes its socket
    delete estimator_;
    delete server_;
    delete trainer_;
    delete prometheus_;
    delete generated_;
    delete root_;
  }

  void SetUp() override {
    if (!installed_) {
      GTEST_SKIP() << "Debian's prometheus/promtool are not installed (tools/setup.sh installs the "
                      "`prometheus` package)";
    }
    ASSERT_NE(prometheus_, nullptr) << "Prometheus did not start (logs in " << *root_ << ")";
    ASSERT_TRUE(trainer_ && server_ && estimator_) << "a service did not start";
  }

  // Five minutes of the past and twenty of the future, at Prometheus' default step.
  static tools::GeneratedCapture GenerateData() {
    tools::GeneratorOptions options;
    options.start_time = std::floor(absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch())) - 300;
    options.duration_seconds = 1500;
    options.step_seconds = 3;
    options.containers = 8;
    auto generated = tools::GenerateCapture(options);
    EXPECT_TRUE(generated.ok()) << generated.status();
    return *std::move(generated);
  }

  static void StartPrometheus() {
    auto capture = Capture::Parse(generated_->json);
    ASSERT_TRUE(capture.ok()) << capture.status();
    std::string dir = (*root_ / "prometheus").string();
    absl::Status backfilled =
        PrometheusServer::Backfill(tools::CaptureToOpenMetrics(*capture), dir + "/data");
    ASSERT_TRUE(backfilled.ok()) << backfilled;
    auto prometheus = PrometheusServer::Start({dir});
    ASSERT_TRUE(prometheus.ok()) << prometheus.status();
    prometheus_ = prometheus->release();
  }

  static Subprocess* Start(const std::string& name, const std::string& program,
                           std::vector<std::string> args,
                           std::vector<std::pair<std::string, std::string>> env) {
    env.emplace_back("CONFIG_PATH", "/nonexistent");
    auto process = Subprocess::Start({program, std::move(args), std::move(env),
                                      (*root_ / (name + ".log")).string()});
    EXPECT_TRUE(process.ok()) << process.status();
    return process.ok() ? process->release() : nullptr;
  }

  static void StartServices() {
    const std::string models = "--model_path=" + (*root_ / "models").string();
    trainer_ = Start("trainer", "trainer/kepler-trainer",
                     {"--online", "--port=0", "--grpc_port=-1", "--address=127.0.0.1", models,
                      "--online_sources=rapl-sysfs", "--online_feature_groups=BPFOnly",
                      "--online_abs_trainers=SGDRegressorTrainer",
                      "--online_dyn_trainers=SGDRegressorTrainer", "--online_max_backoff_seconds=2",
                      "--online_query_timeout_seconds=5", "--threads=1"},
                     {{"PROM_SERVER", prometheus_->url()},
                      {"PROM_QUERY_INTERVAL", "300"},
                      {"PROM_QUERY_STEP", "3"},
                      {"SAMPLING_INTERVAL", "1"}});
    trainer_port_ = core::test_util::IntAfter(trainer_->WaitForLog("serving HTTP on port ").value(), "").value();
    server_ = Start("server", "server/kepler-model-server",
                    {"--port=0", "--grpc_port=-1", "--address=127.0.0.1",
                     "--fetch_initial_pipelines=false", "--poll_seconds=0.1", models},
                    {});
    server_port_ = core::test_util::IntAfter(server_->WaitForLog("serving HTTP on port ").value(), "").value();
    // Sandboxed tests may share pids and /tmp; the time tells concurrent runs apart.
    socket_path_ = absl::StrCat("/tmp/kepler-online-it-", getpid(), "-",
                                absl::ToUnixNanos(absl::Now()) % 1000000007, ".sock");
    estimator_ = Start("estimator", "estimator/kepler-estimator",
                       {"--socket=" + socket_path_,
                        "--machine_spec=testdata/prom/machine_spec.json",
                        "--model_path=" + (*root_ / "download").string()},
                       {{"MODEL_SERVER_ENABLE", "true"},
                        {"MODEL_SERVER_URL", absl::StrCat("http://127.0.0.1:", server_port_)},
                        {"MODEL_TOPURL", "file:///nonexistent"}});
    ASSERT_TRUE(estimator_->WaitForLog("kepler-estimator: serving on ").ok());
  }

  // The value of the trainer's metric line starting with `series` (e.g. `x_total{a="b"}`); 0
  // when absent.
  static double TrainerMetric(const std::string& series) {
    auto metrics = HttpGet("127.0.0.1", trainer_port_, "/metrics");
    if (!metrics.ok() || metrics->status != 200) return -1;
    for (absl::string_view line : absl::StrSplit(metrics->body, '\n')) {
      if (!absl::ConsumePrefix(&line, series + " ")) continue;
      double value = 0;
      return absl::SimpleAtod(line, &value) ? value : -1;
    }
    return 0;
  }
  static double Published() { return TrainerMetric("kepler_online_trainer_rounds_total{result=\"success\"}"); }

  // The served weights (canonical), or "" when the server does not answer 200.
  static std::string Served() {
    auto answer = HttpPost("127.0.0.1", server_port_, "/model", kModelRequest);
    return answer.ok() && answer->status == 200 ? Canonical(answer->body) : "";
  }
  static std::string OnDisk() { return Canonical(core::ReadFile((*root_ / kWeightFile).string()).value_or("")); }

  static bool installed_;
  static fs::path* root_;
  static tools::GeneratedCapture* generated_;
  static PrometheusServer* prometheus_;
  static Subprocess* trainer_;
  static Subprocess* server_;
  static Subprocess* estimator_;
  static int trainer_port_;
  static int server_port_;
  static std::string socket_path_;
};

bool OnlineTrainerIntegrationTest::installed_;
fs::path* OnlineTrainerIntegrationTest::root_;
tools::GeneratedCapture* OnlineTrainerIntegrationTest::generated_;
PrometheusServer* OnlineTrainerIntegrationTest::prometheus_;
Subprocess* OnlineTrainerIntegrationTest::trainer_;
Subprocess* OnlineTrainerIntegrationTest::server_;
Subprocess* OnlineTrainerIntegrationTest::estimator_;
int OnlineTrainerIntegrationTest::trainer_port_;
int OnlineTrainerIntegrationTest::server_port_;
std::string OnlineTrainerIntegrationTest::socket_path_;

// Node-level feature rows and true package and dram watts of generated samples `indices`.
struct TruthRows {
  std::string values;  // [[bpf_cpu_time_ms, bpf_page_cache_hit], ...]
  std::vector<double> package, dram;
};

TruthRows RowsAt(const tools::GroundTruth& truth, const std::vector<size_t>& indices) {
  TruthRows rows;
  rows.values = "[";
  for (size_t k : indices) {
    double cpu = 0, hits = 0;
    for (const auto& [id, features] : truth.container_rates) {
      if (!std::isnan(features.at("bpf_cpu_time_ms")[k])) cpu += features.at("bpf_cpu_time_ms")[k];
      if (!std::isnan(features.at("bpf_page_cache_hit")[k])) hits += features.at("bpf_page_cache_hit")[k];
    }
    absl::StrAppend(&rows.values, rows.package.empty() ? "[" : ",[", cpu, ",", hits, "]");
    rows.package.push_back(truth.node_power.at("package_power")[k]);
    rows.dram.push_back(truth.node_power.at("dram_power")[k]);
  }
  rows.values += "]";
  return rows;
}

double MeanAbsoluteError(const rapidjson::Value& estimated, const std::vector<double>& truth) {
  double sum = 0;
  for (size_t i = 0; i < truth.size(); ++i) sum += std::fabs(estimated[i].GetDouble() - truth[i]);
  return sum / truth.size();
}

TEST_F(OnlineTrainerIntegrationTest, PrometheusToEstimatorWattsFollowTheGeneratorsTruth) {
  ASSERT_TRUE(WaitFor([] { return Published() >= 1; })) << trainer_->Log();
  ASSERT_TRUE(WaitFor([] { return !Served().empty(); })) << server_->Log();
  std::vector<size_t> indices;  // past samples, inside the trained window
  for (size_t k = 5; k <= 95; k += 5) indices.push_back(k);
  TruthRows rows = RowsAt(generated_->truth, indices);
  std::string answer = EstimatorCall(
      socket_path_, absl::StrCat(R"({"metrics":["bpf_cpu_time_ms","bpf_page_cache_hit"],"values":)",
                                 rows.values, R"(,"output_type":"AbsPower","source":"intel_rapl",)",
                                 R"("trainer_name":"SGDRegressorTrainer","filter":""})"));
  rapidjson::Document doc;
  doc.Parse(answer.c_str());
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("powers") && doc["powers"].IsObject()) << answer;
  ASSERT_STREQ(doc["msg"].GetString(), "") << answer << "\n" << estimator_->Log();
  const auto& powers = doc["powers"];
  ASSERT_EQ(powers["package"].Size(), indices.size()) << answer;
  double mean_package = 0;
  for (double watts : rows.package) mean_package += watts / rows.package.size();
  double package_mae = MeanAbsoluteError(powers["package"], rows.package);
  double dram_mae = MeanAbsoluteError(powers["dram"], rows.dram);
  std::cout << "package MAE " << package_mae << " W (mean " << mean_package << " W), dram MAE "
            << dram_mae << " W\n";
  // A linear model of a slightly quadratic package curve, trained on noisy counters.
  EXPECT_LT(package_mae, 0.05 * mean_package) << answer;
  // BPFOnly lacks the cache misses that drive part of the generator's dram power.
  EXPECT_LT(dram_mae, 2.0) << answer;
}

// Steady POST /model traffic on `threads` connections; each thread's answers in order.
class ModelTraffic {
 public:
  ModelTraffic(int port, int threads) {
    answers_.resize(threads);
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this, port, t] { Drive(port, &answers_[t]); });
    }
  }
  void Stop() {
    stop_ = true;
    for (auto& thread : threads_) thread.join();
  }
  // Consecutive equal answers are kept once.
  const std::vector<std::vector<std::string>>& answers() const { return answers_; }
  int requests() const { return requests_; }
  std::vector<std::string> failures() const {
    absl::MutexLock lock(&mu_);
    return failures_;
  }
  std::string Latest() const {
    absl::MutexLock lock(&mu_);
    return latest_;
  }

 private:
  void Drive(int port, std::vector<std::string>* answers) {
    while (!stop_) {
      auto answer = HttpPost("127.0.0.1", port, "/model", kModelRequest);
      ++requests_;
      std::string canonical = answer.ok() && answer->status == 200 ? Canonical(answer->body) : "";
      if (canonical.empty()) {
        absl::MutexLock lock(&mu_);
        failures_.push_back(answer.ok() ? absl::StrCat(answer->status, ": ", answer->body)
                                        : answer.status().ToString());
        continue;
      }
      if (answers->empty() || answers->back() != canonical) answers->push_back(canonical);
      absl::MutexLock lock(&mu_);
      latest_ = canonical;
    }
  }

  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::vector<std::vector<std::string>> answers_;
  std::vector<std::thread> threads_;
  mutable absl::Mutex mu_;
  std::vector<std::string> failures_ ABSL_GUARDED_BY(mu_);
  std::string latest_ ABSL_GUARDED_BY(mu_);
};

// Every version of the weight document published on disk, in order, by polling the file.
class VersionWatcher {
 public:
  explicit VersionWatcher(std::function<std::string()> read) : read_(std::move(read)) {
    thread_ = std::thread([this] {
      while (!stop_) {
        std::string version = read_();
        if (!version.empty()) {
          absl::MutexLock lock(&mu_);
          if (versions_.empty() || versions_.back() != version) versions_.push_back(version);
        }
        absl::SleepFor(absl::Milliseconds(5));
      }
    });
  }
  ~VersionWatcher() { Stop(); }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::vector<std::string> versions() const {
    absl::MutexLock lock(&mu_);
    return versions_;
  }

 private:
  std::function<std::string()> read_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable absl::Mutex mu_;
  std::vector<std::string> versions_ ABSL_GUARDED_BY(mu_);
};

TEST_F(OnlineTrainerIntegrationTest, LivePublishingUnderLoadNeverFailsNorMixesVersions) {
  ASSERT_TRUE(WaitFor([] { return !Served().empty(); })) << server_->Log();
  VersionWatcher watcher(OnDisk);
  // From a version the watcher has seen on, the server can only move to later ones it sees too.
  ASSERT_TRUE(WaitFor([&] {
    std::vector<std::string> versions = watcher.versions();
    return !versions.empty() && Served() == versions.back();
  }));
  ModelTraffic traffic(server_port_, 2);
  // Until three new versions were published and the answers have caught up with the latest.
  bool caught_up = WaitFor([&] {
    std::vector<std::string> versions = watcher.versions();
    return versions.size() >= 4 && traffic.Latest() == versions.back();
  });
  traffic.Stop();
  watcher.Stop();
  ASSERT_TRUE(caught_up) << watcher.versions().size() << " versions seen\n" << trainer_->Log();
  EXPECT_TRUE(traffic.failures().empty())
      << traffic.failures().size() << " of " << traffic.requests()
      << " requests failed, first: " << traffic.failures().front();
  std::vector<std::string> versions = watcher.versions();
  std::set<size_t> served;
  for (const auto& answers : traffic.answers()) {
    size_t previous = 0;
    for (const std::string& answer : answers) {
      auto it = std::find(versions.begin(), versions.end(), answer);
      ASSERT_NE(it, versions.end()) << "an answer from no published version: " << answer;
      size_t index = it - versions.begin();
      EXPECT_GE(index, previous) << "an answer went back to an older version";
      previous = index;
      served.insert(index);
    }
  }
  std::cout << traffic.requests() << " requests answered from " << served.size() << " of "
            << versions.size() << " published versions\n";
  EXPECT_GE(served.size(), 3u) << "answers moved through the published versions";
  EXPECT_GT(traffic.requests(), 20);
}

TEST_F(OnlineTrainerIntegrationTest, PrometheusDownRetriesAndKeepsThePublishedPipeline) {
  ASSERT_TRUE(WaitFor([] { return Published() >= 1 && !Served().empty(); }));
  ASSERT_TRUE(prometheus_->Stop().ok());
  // Once a round has failed, no round that read Prometheus earlier can still publish.
  ASSERT_TRUE(WaitFor([] {
    return TrainerMetric("kepler_online_trainer_failures_total{reason=\"unreachable\"}") >= 1;
  })) << trainer_->Log();
  const double successes = Published();
  const std::string kept = OnDisk();
  ASSERT_TRUE(WaitFor([] {
    return TrainerMetric("kepler_online_trainer_failures_total{reason=\"unreachable\"}") >= 3;
  })) << trainer_->Log();
  EXPECT_EQ(Published(), successes);
  EXPECT_EQ(OnDisk(), kept) << "the published pipeline is untouched";
  EXPECT_TRUE(WaitFor([&] { return Served() == kept; })) << "and still served";
  std::string log = trainer_->Log();
  EXPECT_NE(log.find("round failed (unreachable) at query"), std::string::npos) << log;
  EXPECT_NE(log.find("published pipeline kept; next round in 2s"), std::string::npos)
      << "backoff doubles to --online_max_backoff_seconds\n" << log;
  ASSERT_TRUE(prometheus_->Restart().ok()) << prometheus_->Log();
  EXPECT_TRUE(WaitFor([&] { return Published() > successes; })) << trainer_->Log();
  EXPECT_TRUE(WaitFor([&] { return Served() == OnDisk() && OnDisk() != kept; }));
  EXPECT_EQ(TrainerMetric("kepler_online_trainer_consecutive_failures"), 0);
}

TEST_F(OnlineTrainerIntegrationTest, ZZTrainerStopsCleanlyOnSigterm) {
  auto code = trainer_->Stop(SIGTERM);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0) << trainer_->Log();
}

}  // namespace
}  // namespace kepler::model::trainer
