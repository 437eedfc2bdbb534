#include "trainer/online_trainer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/prometheus_text.h"
#include "core/status_macros.h"
#include "core/trainer_name.h"
#include "trainer/isolator_factory.h"
#include "trainer/prometheus_client.h"

namespace kepler::model::trainer {

// What one round did so far; `stage` names the step a failure happened in.
struct OnlineTrainer::Round {
  absl::Time started;
  std::string stage;
  std::map<std::string, double> seconds;
  size_t rows = 0;
  int models = 0;
  int skipped = 0;
};

namespace {

constexpr char kPrefix[] = "kepler_online_trainer_";

absl::Status CheckOptions(const OnlineTrainer::Options& options) {
  if (options.model_path.empty()) return absl::InvalidArgumentError("online trainer: no model path");
  RETURN_IF_ERROR(core::ValidatePipelineName(options.pipeline.name));
  if (options.pipeline.abs_trainers.empty() && options.pipeline.dyn_trainers.empty()) {
    return absl::InvalidArgumentError("online trainer: no abs or dyn trainers");
  }
  if (options.pipeline.energy_sources.empty()) {
    return absl::InvalidArgumentError("online trainer: no energy source");
  }
  ASSIGN_OR_RETURN(std::string isolator, CanonicalIsolatorName(options.isolator));
  if (isolator == "trainer" && options.pipeline.energy_sources.size() != 1) {
    return absl::InvalidArgumentError("online trainer: trainer isolation takes one energy source");
  }
  if (options.window <= absl::ZeroDuration() || options.interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("online trainer: window and interval must be positive");
  }
  return absl::OkStatus();
}

// Runs `step`, adding its duration to `seconds[stage]`.
template <typename Step>
auto Timed(const OnlineTrainer::Clock& now, std::map<std::string, double>& seconds,
           const std::string& stage, Step step) {
  absl::Time start = now();
  auto result = step();
  seconds[stage] += absl::ToDoubleSeconds(now() - start);
  return result;
}

// Whole numbers (counts, timestamps) without an exponent; others in shortest form.
std::string Number(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  return core::FormatSampleValue(value);
}

void AppendFamily(std::string* out, absl::string_view name, absl::string_view type,
                  absl::string_view help) {
  absl::StrAppend(out, "# HELP ", kPrefix, name, " ", help, "\n# TYPE ", kPrefix, name, " ", type,
                  "\n");
}

void AppendSample(std::string* out, absl::string_view name, absl::string_view labels,
                  double value) {
  absl::StrAppend(out, kPrefix, name, labels.empty() ? "" : "{", labels, labels.empty() ? "" : "}",
                  " ", Number(value), "\n");
}

std::string Label(absl::string_view name, absl::string_view value) {
  return absl::StrCat(name, "=\"", core::EscapeLabelValue(value), "\"");
}

}  // namespace

std::string RoundFailureReason(absl::string_view stage, const absl::Status& status) {
  std::string reason = PrometheusFailureReason(status);
  if (!reason.empty()) return reason;
  if (stage == "query") return "fetch";
  if (stage == "parse") return "bad_capture";
  if (stage == "idle") return "idle_capture";
  if (stage == "isolator") return "isolator";
  if (status.code() == absl::StatusCode::kFailedPrecondition) return "insufficient_data";
  return "publish";
}

absl::StatusOr<std::unique_ptr<OnlineTrainer>> OnlineTrainer::Create(Options options,
                                                                     Fetcher fetch, Clock now) {
  RETURN_IF_ERROR(CheckOptions(options));
  options.pipeline.isolator_name = *CanonicalIsolatorName(options.isolator);
  return std::unique_ptr<OnlineTrainer>(
      new OnlineTrainer(std::move(options), std::move(fetch), std::move(now)));
}

OnlineTrainer::OnlineTrainer(Options options, Fetcher fetch, Clock now)
    : options_(std::move(options)), fetch_(std::move(fetch)), now_(std::move(now)) {}

absl::Status OnlineTrainer::RunRound() {
  Round round;
  round.started = now_();
  absl::Status status = Train(round);
  round.seconds["round"] = absl::ToDoubleSeconds(now_() - round.started);
  Record(round, status);
  return status;
}

absl::Status OnlineTrainer::Train(Round& round) {
  const absl::Time end = round.started;
  round.stage = "query";
  ASSIGN_OR_RETURN(std::string json, Timed(now_, round.seconds, "query", [&] {
                     return fetch_(end - options_.window, end);
                   }));
  round.stage = "parse";
  ASSIGN_OR_RETURN(Capture capture,
                   Timed(now_, round.seconds, "parse", [&] { return Capture::Parse(json); }));
  std::string().swap(json);  // the parsed tables suffice
  ASSIGN_OR_RETURN(const Capture* idle, Idle(round));
  round.stage = "isolator";
  IsolatorRequest request{options_.isolator, options_.isolator_args, idle,
                          options_.pipeline.energy_sources.front(), options_.model_path};
  ASSIGN_OR_RETURN(std::unique_ptr<Isolator> isolator, MakeIsolatorFor(request));
  round.stage = "train";
  std::string output = absl::StrCat(options_.model_path, "/", options_.pipeline.name);
  ASSIGN_OR_RETURN(PipelineReport report, TrainPipeline(capture, *isolator, options_.pipeline, output));
  round.seconds["extract"] = report.timing.extract_seconds;
  round.seconds["fit"] = report.timing.train_seconds;
  round.seconds["publish"] = report.timing.publish_seconds;
  round.rows = report.rows;
  for (const auto& model : report.models) (model.skipped_reason().empty() ? round.models : round.skipped)++;
  return absl::OkStatus();
}

absl::StatusOr<const Capture*> OnlineTrainer::Idle(Round& round) {
  if (idle_.has_value()) return &*idle_;
  bool from_file = !options_.idle_capture_path.empty();
  if (!from_file && options_.idle_end <= options_.idle_start) return nullptr;
  round.stage = "idle";
  absl::StatusOr<Capture> idle = Timed(now_, round.seconds, "idle", [&]() -> absl::StatusOr<Capture> {
    if (from_file) return Capture::ReadFile(options_.idle_capture_path);
    ASSIGN_OR_RETURN(std::string json, fetch_(options_.idle_start, options_.idle_end));
    return Capture::Parse(json);
  });
  if (!idle.ok()) {
    return absl::Status(idle.status().code(),
                        absl::StrCat("idle capture: ", idle.status().message()));
  }
  idle_ = *std::move(idle);
  return &*idle_;
}

void OnlineTrainer::Record(const Round& round, const absl::Status& status) {
  std::string line;
  {
    absl::MutexLock lock(&mu_);
    ++stats_.rounds;
    for (const auto& [stage, seconds] : round.seconds) {
      auto& [sum, count] = stats_.stage_seconds[stage];
      sum += seconds;
      ++count;
      stats_.last_stage_seconds[stage] = seconds;
    }
    if (status.ok()) {
      ++stats_.successes;
      stats_.consecutive_failures = 0;
      stats_.last_success = round.started;
      stats_.last_rows = round.rows;
      stats_.last_models = round.models;
      stats_.rows_total += round.rows;
      line = absl::StrFormat("online: published %s/%s: %d models (%d skipped) from %d rows in %.3f s",
                             options_.model_path, options_.pipeline.name, round.models,
                             round.skipped, round.rows, round.seconds.at("round"));
    } else {
      std::string reason = RoundFailureReason(round.stage, status);
      ++stats_.failures[reason];
      ++stats_.consecutive_failures;
      stats_.last_failure = absl::StrCat(reason, ": ", status.message());
      line = absl::StrCat("online: round failed (", reason, ") at ", round.stage, ": ",
                          status.message(), "; published pipeline kept");
    }
  }
  if (!status.ok()) line += absl::StrCat("; next round in ", absl::FormatDuration(NextDelay()));
  Log(line);
}

absl::Duration OnlineTrainer::NextDelay() const {
  int failures;
  {
    absl::MutexLock lock(&mu_);
    failures = stats_.consecutive_failures;
  }
  if (failures == 0) return options_.interval;
  absl::Duration cap = std::max(options_.max_backoff, options_.interval);
  absl::Duration delay = options_.interval;
  for (int i = 1; i < failures && delay < cap; ++i) delay *= 2;
  return std::min(delay, cap);
}

void OnlineTrainer::Run(absl::Notification* stop) {
  while (!stop->HasBeenNotified()) {
    (void)RunRound();  // recorded and logged
    if (stop->WaitForNotificationWithTimeout(NextDelay())) break;
  }
}

OnlineTrainer::Stats OnlineTrainer::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

std::string OnlineTrainer::MetricsText() const {
  Stats stats = this->stats();
  std::string out;
  AppendFamily(&out, "rounds_total", "counter", "Online training rounds by result.");
  AppendSample(&out, "rounds_total", Label("result", "success"), stats.successes);
  AppendSample(&out, "rounds_total", Label("result", "failure"), stats.rounds - stats.successes);
  AppendFamily(&out, "failures_total", "counter", "Failed rounds by reason.");
  for (const auto& [reason, count] : stats.failures) {
    AppendSample(&out, "failures_total", Label("reason", reason), count);
  }
  AppendFamily(&out, "consecutive_failures", "gauge", "Failed rounds since the last success.");
  AppendSample(&out, "consecutive_failures", "", stats.consecutive_failures);
  AppendFamily(&out, "last_success_timestamp_seconds", "gauge",
               "Start of the latest round that published (0: none yet).");
  AppendSample(&out, "last_success_timestamp_seconds", "",
               stats.successes ? absl::ToDoubleSeconds(stats.last_success - absl::UnixEpoch()) : 0);
  AppendFamily(&out, "rows_trained", "gauge", "Rows of the latest published training.");
  AppendSample(&out, "rows_trained", "", static_cast<double>(stats.last_rows));
  AppendFamily(&out, "rows_trained_total", "counter", "Rows of every published training.");
  AppendSample(&out, "rows_trained_total", "", static_cast<double>(stats.rows_total));
  AppendFamily(&out, "models_trained", "gauge", "Models of the latest published pipeline.");
  AppendSample(&out, "models_trained", "", stats.last_models);
  AppendFamily(&out, "stage_duration_seconds", "summary", "Time spent per stage of a round.");
  for (const auto& [stage, sum_count] : stats.stage_seconds) {
    AppendSample(&out, "stage_duration_seconds_sum", Label("stage", stage), sum_count.first);
    AppendSample(&out, "stage_duration_seconds_count", Label("stage", stage), sum_count.second);
  }
  AppendFamily(&out, "last_stage_duration_seconds", "gauge", "Time of each stage, latest round.");
  for (const auto& [stage, seconds] : stats.last_stage_seconds) {
    AppendSample(&out, "last_stage_duration_seconds", Label("stage", stage), seconds);
  }
  return out;
}

void OnlineTrainer::Log(const std::string& line) const {
  if (options_.log) {
    options_.log(line);
  } else {
    std::cerr << line << "\n";
  }
}

}  // namespace kepler::model::trainer
