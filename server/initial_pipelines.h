// Fetching the initial pipelines until they are in: retries, cancellation, readiness.
//
// What: InitialPipelines owns a thread that fetches and installs every initial pipeline URL
// (server/pipeline_fetcher.h). A transient failure (connection refused or reset, timeout, HTTP
// 5xx, 408 or 429) is retried after a capped exponential backoff with jitter; a permanent one
// (404 or another 4xx, a corrupt or hostile archive, a limit, a bad URL) is not. Each outcome is
// logged; Snapshot() tells every URL's state and attempts, Settled() whether none is pending
// (for readiness), MetricsText() the same for /metrics. After each install `on_installed` runs
// (the server reloads its repository).
// Why: in Kubernetes the model database may start after the model server; fetching once at
// start left the server empty until restarted. The thread is owned and joined, so shutdown never
// races a late repository reload.
// How: construct, then destroy at shutdown (Stop() first if the destructor must not wait for a
// download in progress: the download itself is bounded by FetchOptions::timeout).
//
// Thread-safety: Snapshot, Settled and MetricsText may be called from any thread.
#ifndef KEPLER_SERVER_INITIAL_PIPELINES_H_
#define KEPLER_SERVER_INITIAL_PIPELINES_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "core/http_client.h"
#include "server/pipeline_fetcher.h"

namespace kepler::model::server {

class InitialPipelines {
 public:
  struct Options {
    std::vector<std::string> urls;
    std::string model_path;
    core::FetchOptions fetch;
    PipelineArchiveLimits limits;
    absl::Duration first_retry = absl::Seconds(1);
    absl::Duration max_retry = absl::Seconds(60);
    // Run on the fetching thread after each pipeline is installed, and once when no URL is
    // pending any more (at once when there is none; not when stopped first).
    std::function<void()> on_installed;
    std::function<void()> on_settled;
    // Where outcomes are logged (stderr when null).
    std::function<void(const std::string&)> log;
  };

  enum class State { kPending, kInstalled, kFailed };
  struct UrlState {
    std::string url;
    State state = State::kPending;
    int attempts = 0;
    absl::Status last_error;
  };

  // Starts fetching on a thread of its own; `http` is owned.
  InitialPipelines(Options options, std::unique_ptr<core::HttpClient> http);
  // Stop(), then joins the thread.
  ~InitialPipelines();
  InitialPipelines(const InitialPipelines&) = delete;
  InitialPipelines& operator=(const InitialPipelines&) = delete;

  // Ends waits between retries at once; no new attempt starts.
  void Stop();

  std::vector<UrlState> Snapshot() const;
  // True when no URL is pending (every one installed or failed for good).
  bool Settled() const;
  // The URLs still pending, for messages.
  std::vector<std::string> Pending() const;
  // Prometheus text: <prefix>_initial_pipeline_attempts_total and _state per URL.
  std::string MetricsText(const std::string& prefix) const;

  // Whether a fetch error is worth retrying.
  static bool IsTransient(const absl::Status& status);

 private:
  void Run();
  void Log(const std::string& line) const;

  const Options options_;
  const std::unique_ptr<core::HttpClient> http_;
  absl::Notification stop_;
  mutable absl::Mutex mu_;
  std::vector<UrlState> states_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace kepler::model::server

#endif  // KEPLER_SERVER_INITIAL_PIPELINES_H_
