// The online loop with a scripted fetcher and a fake clock: publishing, failures with reasons,
// backoff, the idle capture, metrics and stopping.
#include "trainer/online_trainer.h"

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/file_util.h"
#include "gtest/gtest.h"
#include "tools/capture_generator.h"
#include "trainer/prometheus_client.h"

namespace kepler::model::trainer {
namespace {

namespace fs = std::filesystem;

std::string Generated(tools::WorkloadProfile workload) {
  tools::GeneratorOptions options;
  options.duration_seconds = 300;
  options.containers = 6;
  options.workload = workload;
  return tools::GenerateCapture(options)->json;
}

// An HttpClient whose every call is refused, for errors with a Prometheus failure reason.
class RefusingHttp : public core::HttpClient {
 public:
  absl::StatusOr<core::HttpResult> Get(const std::string& url, const core::FetchOptions&) override {
    return absl::UnavailableError("connection refused: " + url);
  }
  absl::StatusOr<core::HttpResult> Post(const std::string&, std::string, std::string,
                                        const core::FetchOptions&) override {
    return absl::UnimplementedError("POST");
  }
};

class OnlineTrainerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    workload_ = new std::string(Generated(tools::WorkloadProfile::kStepped));
    idle_ = new std::string(Generated(tools::WorkloadProfile::kIdle));
  }
  static void TearDownTestSuite() {
    delete workload_;
    delete idle_;
  }

  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(root_);
    fs::create_directories(root_);
    options_.model_path = root_.string();
    options_.pipeline.name = "online";
    options_.pipeline.abs_trainers = {v1::LinearRegressionTrainer};
    options_.pipeline.dyn_trainers = {v1::LinearRegressionTrainer};
    options_.pipeline.feature_groups = {v1::BPFOnly};
    options_.pipeline.threads = 1;
    options_.window = absl::Seconds(300);
    options_.interval = absl::Seconds(20);
    options_.max_backoff = absl::Seconds(70);
    options_.log = [this](const std::string& line) { log_.push_back(line); };
  }

  // The trainer over a fetcher that answers `answers` in turn (the last one repeats).
  std::unique_ptr<OnlineTrainer> Make(std::vector<absl::StatusOr<std::string>> answers) {
    answers_ = std::move(answers);
    auto fetch = [this](absl::Time start, absl::Time end) -> absl::StatusOr<std::string> {
      windows_.push_back({start, end});
      size_t i = std::min(windows_.size(), answers_.size()) - 1;
      return answers_[i];
    };
    auto trainer = OnlineTrainer::Create(options_, fetch, [this] { return now_; });
    EXPECT_TRUE(trainer.ok()) << trainer.status();
    return trainer.ok() ? *std::move(trainer) : nullptr;
  }

  std::string Published(const std::string& file = "metadata.json") const {
    auto text = core::ReadFile((root_ / "online" / file).string());
    return text.ok() ? *text : "missing: " + std::string(text.status().message());
  }

  static absl::Status Refused() {
    RefusingHttp http;
    return QueryCapture(http, PrometheusQuery()).status();
  }

  static std::string* workload_;
  static std::string* idle_;
  fs::path root_;
  OnlineTrainer::Options options_;
  absl::Time now_ = absl::FromUnixSeconds(1702462899);
  std::vector<absl::StatusOr<std::string>> answers_;
  std::vector<std::pair<absl::Time, absl::Time>> windows_;
  std::vector<std::string> log_;
};

std::string* OnlineTrainerTest::workload_;
std::string* OnlineTrainerTest::idle_;

constexpr char kWeights[] = "rapl-sysfs/AbsPower/BPFOnly/LinearRegressionTrainer_0.json";

TEST_F(OnlineTrainerTest, RoundTrainsTheLastWindowAndPublishesIntoTheModelPath) {
  auto trainer = Make({*workload_});
  ASSERT_TRUE(trainer->RunRound().ok()) << absl::StrJoin(log_, "\n");
  ASSERT_EQ(windows_.size(), 1u);
  EXPECT_EQ(windows_[0].first, now_ - absl::Seconds(300));
  EXPECT_EQ(windows_[0].second, now_);
  EXPECT_TRUE(fs::exists(root_ / "online" / "metadata.json"));
  EXPECT_TRUE(fs::exists(root_ / "online" / kWeights));
  EXPECT_TRUE(fs::exists(root_ / "online" / "rapl-sysfs/DynPower/BPFOnly/LinearRegressionTrainer_0.zip"));
  OnlineTrainer::Stats stats = trainer->stats();
  EXPECT_EQ(stats.successes, 1);
  EXPECT_EQ(stats.last_success, now_);
  EXPECT_GT(stats.last_rows, 100u);
  EXPECT_EQ(stats.last_models, 2);
  EXPECT_EQ(trainer->NextDelay(), absl::Seconds(20));
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_TRUE(absl::StartsWith(log_[0], "online: published ")) << log_[0];
}

TEST_F(OnlineTrainerTest, PrometheusDownKeepsThePublishedPipelineAndBacksOff) {
  auto trainer = Make({*workload_, Refused()});
  ASSERT_TRUE(trainer->RunRound().ok());
  const std::string metadata = Published();
  const std::string weights = Published(kWeights);
  std::vector<absl::Duration> delays;
  for (int i = 0; i < 4; ++i) {
    absl::Status status = trainer->RunRound();
    EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
    delays.push_back(trainer->NextDelay());
  }
  EXPECT_EQ(delays, (std::vector<absl::Duration>{absl::Seconds(20), absl::Seconds(40),
                                                 absl::Seconds(70), absl::Seconds(70)}));
  EXPECT_EQ(Published(), metadata);
  EXPECT_EQ(Published(kWeights), weights);
  OnlineTrainer::Stats stats = trainer->stats();
  EXPECT_EQ(stats.failures["unreachable"], 4);
  EXPECT_EQ(stats.consecutive_failures, 4);
  EXPECT_TRUE(absl::StrContains(log_.back(), "round failed (unreachable)")) << log_.back();
  EXPECT_TRUE(absl::StrContains(log_.back(), "connection refused")) << log_.back();
  EXPECT_TRUE(absl::StrContains(log_.back(), "published pipeline kept")) << log_.back();
}

TEST_F(OnlineTrainerTest, SuccessAfterFailuresResetsTheBackoff) {
  auto trainer = Make({Refused(), Refused(), *workload_});
  EXPECT_FALSE(trainer->RunRound().ok());
  EXPECT_FALSE(trainer->RunRound().ok());
  EXPECT_EQ(trainer->NextDelay(), absl::Seconds(40));
  EXPECT_FALSE(fs::exists(root_ / "online")) << "nothing published before the first success";
  ASSERT_TRUE(trainer->RunRound().ok());
  EXPECT_EQ(trainer->NextDelay(), absl::Seconds(20));
  EXPECT_EQ(trainer->stats().consecutive_failures, 0);
}

TEST_F(OnlineTrainerTest, UntrainableOrBrokenCapturesAreFailuresWithReasons) {
  auto trainer = Make({*workload_, std::string("{not json"),
                       std::string(R"({"kepler_node_info": [{"metric": {"job": "k"}, "values": [[1, "1"]]}]})")});
  ASSERT_TRUE(trainer->RunRound().ok());
  const std::string weights = Published(kWeights);
  EXPECT_FALSE(trainer->RunRound().ok());
  EXPECT_FALSE(trainer->RunRound().ok());
  EXPECT_EQ(Published(kWeights), weights);
  OnlineTrainer::Stats stats = trainer->stats();
  EXPECT_EQ(stats.failures["bad_capture"], 1);
  EXPECT_EQ(stats.failures["insufficient_data"], 1);
  EXPECT_EQ(stats.rounds, 3);
}

TEST_F(OnlineTrainerTest, IdleWindowIsFetchedOnceForProfileIsolation) {
  options_.isolator = "profile";
  options_.idle_start = now_ - absl::Hours(2);
  options_.idle_end = now_ - absl::Hours(1);
  auto trainer = Make({*workload_, *idle_, *workload_});
  ASSERT_TRUE(trainer->RunRound().ok()) << absl::StrJoin(log_, "\n");
  ASSERT_TRUE(trainer->RunRound().ok()) << absl::StrJoin(log_, "\n");
  ASSERT_EQ(windows_.size(), 3u) << "one idle fetch, then one window per round";
  EXPECT_EQ(windows_[1], std::make_pair(options_.idle_start, options_.idle_end));
  EXPECT_NE(Published().find("\"profile\""), std::string::npos) << Published();
}

TEST_F(OnlineTrainerTest, IdleCaptureFileThatIsMissingFailsTheRound) {
  options_.isolator = "ProfileBackgroundIsolator";
  options_.idle_capture_path = (root_ / "no-idle.json").string();
  auto trainer = Make({*workload_});
  absl::Status status = trainer->RunRound();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
  EXPECT_EQ(trainer->stats().failures["idle_capture"], 1);
}

TEST_F(OnlineTrainerTest, MetricsNameSuccessesFailuresRowsAndStages) {
  auto trainer = Make({*workload_, Refused()});
  ASSERT_TRUE(trainer->RunRound().ok());
  EXPECT_FALSE(trainer->RunRound().ok());
  std::string text = trainer->MetricsText();
  for (const std::string& line :
       {std::string("kepler_online_trainer_rounds_total{result=\"success\"} 1"),
        std::string("kepler_online_trainer_rounds_total{result=\"failure\"} 1"),
        std::string("kepler_online_trainer_failures_total{reason=\"unreachable\"} 1"),
        std::string("kepler_online_trainer_consecutive_failures 1"),
        absl::StrCat("kepler_online_trainer_last_success_timestamp_seconds ",
                     absl::ToUnixSeconds(now_)),
        absl::StrCat("kepler_online_trainer_rows_trained ", trainer->stats().last_rows),
        std::string("kepler_online_trainer_models_trained 2"),
        std::string("kepler_online_trainer_stage_duration_seconds_count{stage=\"query\"} 2"),
        std::string("kepler_online_trainer_stage_duration_seconds_count{stage=\"fit\"} 1"),
        std::string("# TYPE kepler_online_trainer_stage_duration_seconds summary")}) {
    EXPECT_NE(text.find(line + "\n"), std::string::npos) << line << "\n" << text;
  }
}

TEST_F(OnlineTrainerTest, RunLoopsUntilStopped) {
  options_.interval = absl::Milliseconds(1);
  absl::Notification stop;
  int calls = 0;
  auto trainer = OnlineTrainer::Create(
      options_,
      [&](absl::Time, absl::Time) -> absl::StatusOr<std::string> {
        if (++calls == 3) stop.Notify();
        return absl::UnavailableError("down");
      },
      [this] { return now_; });
  ASSERT_TRUE(trainer.ok());
  (*trainer)->Run(&stop);
  EXPECT_EQ((*trainer)->stats().rounds, 3);
  EXPECT_EQ((*trainer)->stats().failures["fetch"], 3);
}

TEST_F(OnlineTrainerTest, CreateRefusesUnusableOptions) {
  auto fetch = [](absl::Time, absl::Time) -> absl::StatusOr<std::string> { return std::string(); };
  std::vector<std::pair<std::string, std::function<void(OnlineTrainer::Options&)>>> cases = {
      {"model path", [](auto& o) { o.model_path.clear(); }},
      {"pipeline name", [](auto& o) { o.pipeline.name = "../x"; }},
      {"trainers", [](auto& o) { o.pipeline.abs_trainers.clear(), o.pipeline.dyn_trainers.clear(); }},
      {"isolator", [](auto& o) { o.isolator = "magic"; }},
      {"trainer isolation", [](auto& o) {
         o.isolator = "trainer";
         o.pipeline.energy_sources = {"rapl-sysfs", "acpi"};
       }},
      {"interval", [](auto& o) { o.interval = absl::ZeroDuration(); }},
  };
  for (auto& [name, change] : cases) {
    OnlineTrainer::Options options = options_;
    change(options);
    EXPECT_EQ(OnlineTrainer::Create(options, fetch).status().code(),
              absl::StatusCode::kInvalidArgument)
        << name;
  }
}

}  // namespace
}  // namespace kepler::model::trainer
