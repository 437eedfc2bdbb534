#include "server/initial_pipelines.h"

#include <algorithm>
#include <iostream>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/prometheus_text.h"

namespace kepler::model::server {
namespace {

const char* StateName(InitialPipelines::State state) {
  switch (state) {
    case InitialPipelines::State::kPending: return "pending";
    case InitialPipelines::State::kInstalled: return "installed";
    case InitialPipelines::State::kFailed: return "failed";
  }
  return "";
}

}  // namespace

InitialPipelines::InitialPipelines(Options options, std::unique_ptr<core::HttpClient> http)
    : options_(std::move(options)), http_(std::move(http)) {
  {
    absl::MutexLock lock(&mu_);
    for (const std::string& url : options_.urls) states_.push_back({url, State::kPending, 0, {}});
  }
  thread_ = std::thread([this] { Run(); });
}

InitialPipelines::~InitialPipelines() {
  Stop();
  thread_.join();
}

void InitialPipelines::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
}

bool InitialPipelines::IsTransient(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kInternal:  // e.g. libcurl could not start a transfer
      return true;
    default:
      return false;
  }
}

void InitialPipelines::Log(const std::string& line) const {
  if (options_.log) {
    options_.log(line);
  } else {
    std::cerr << line << "\n";
  }
}

void InitialPipelines::Run() {
  std::mt19937 rng(std::random_device{}());
  std::vector<absl::Duration> backoff(options_.urls.size(), options_.first_retry);
  std::vector<absl::Time> due(options_.urls.size(), absl::Now());
  while (!stop_.HasBeenNotified()) {
    // The pending URL due first; none left: done.
    int next = -1;
    {
      absl::MutexLock lock(&mu_);
      for (size_t i = 0; i < states_.size(); ++i) {
        if (states_[i].state == State::kPending && (next < 0 || due[i] < due[next])) next = i;
      }
    }
    if (next < 0) {
      if (options_.on_settled) options_.on_settled();
      return;
    }
    if (stop_.WaitForNotificationWithTimeout(std::max(absl::ZeroDuration(), due[next] - absl::Now()))) {
      return;
    }
    const std::string& url = options_.urls[next];
    FetchReport report = FetchInitialPipelines({url}, options_.model_path, *http_, options_.fetch,
                                               options_.limits)[0];
    int attempts;
    State state;
    {
      absl::MutexLock lock(&mu_);
      UrlState& s = states_[next];
      attempts = ++s.attempts;
      s.last_error = report.status;
      s.state = report.status.ok()             ? State::kInstalled
                : IsTransient(report.status) ? State::kPending
                                             : State::kFailed;
      state = s.state;
    }
    if (state == State::kInstalled) {
      Log(absl::StrCat("initial pipeline is loaded to ", options_.model_path, "/", report.pipeline));
      if (options_.on_installed) options_.on_installed();
    } else if (state == State::kFailed) {
      Log(absl::StrCat("initial pipeline ", url, " failed for good after ", attempts,
                       " attempt(s): ", report.status.ToString()));
    } else {
      // Capped exponential backoff, +-20% jitter so restarted replicas do not ask together.
      std::uniform_real_distribution<double> jitter(0.8, 1.2);
      const absl::Duration wait = backoff[next] * jitter(rng);
      due[next] = absl::Now() + wait;
      backoff[next] = std::min(backoff[next] * 2, options_.max_retry);
      Log(absl::StrCat("initial pipeline ", url, " attempt ", attempts, " failed (",
                       report.status.ToString(), "); retrying in ",
                       absl::FormatDuration(absl::Trunc(wait, absl::Milliseconds(100)))));
    }
  }
}

std::vector<InitialPipelines::UrlState> InitialPipelines::Snapshot() const {
  absl::MutexLock lock(&mu_);
  return states_;
}

bool InitialPipelines::Settled() const { return Pending().empty(); }

std::vector<std::string> InitialPipelines::Pending() const {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> out;
  for (const UrlState& s : states_) {
    if (s.state == State::kPending) out.push_back(s.url);
  }
  return out;
}

std::string InitialPipelines::MetricsText(const std::string& prefix) const {
  const std::vector<UrlState> states = Snapshot();
  std::string out = absl::StrCat(
      "# HELP ", prefix, "_initial_pipeline_attempts_total Fetch attempts per initial pipeline URL.\n",
      "# TYPE ", prefix, "_initial_pipeline_attempts_total counter\n");
  for (const UrlState& s : states) {
    absl::StrAppend(&out, prefix, "_initial_pipeline_attempts_total{url=\"", core::EscapeLabelValue(s.url), "\"} ",
                    s.attempts, "\n");
  }
  absl::StrAppend(&out, "# HELP ", prefix,
                  "_initial_pipeline_state 1 for the state each initial pipeline URL is in.\n",
                  "# TYPE ", prefix, "_initial_pipeline_state gauge\n");
  for (const UrlState& s : states) {
    for (State state : {State::kPending, State::kInstalled, State::kFailed}) {
      absl::StrAppend(&out, prefix, "_initial_pipeline_state{url=\"", core::EscapeLabelValue(s.url), "\",state=\"",
                      StateName(state), "\"} ", s.state == state ? 1 : 0, "\n");
    }
  }
  return out;
}

}  // namespace kepler::model::server
