// The online trainer: trains a pipeline from live Kepler metrics on an interval and publishes it
// into the model repository (contract §9.1, the reference's unfinished intent; issue 8).
//
// What: each round fetches a capture of the last `window` (through a Fetcher, in production
// QueryCapture against PROM_SERVER), parses it, builds the configured isolator (with the idle
// capture, read once from a file or fetched once from a fixed window), trains the pipeline and
// publishes it as `<model_path>/<pipeline.name>` with TrainPipeline, which writes the complete
// pipeline aside and swaps it in with one rename: a model server watching the model path sees the
// previous version until the new one is in place, never a mix.
// A failed round (Prometheus down, slow, answering errors or partial data; nothing trainable; an
// I/O error) is logged with its reason and counted; the published pipeline is left untouched and
// the next round comes after a backoff: interval, then 2x, 4x ... up to max_backoff, back to
// the interval after a success.
// Why: models should follow the machines they describe without an operator re-running the
// offline trainer, and a flapping Prometheus must never cost the repository its last good models.
// How:
//   OnlineTrainer::Options options;  // pipeline, model_path, window, interval ...
//   ASSIGN_OR_RETURN(auto trainer, OnlineTrainer::Create(options, [&](absl::Time start,
//                                                                      absl::Time end) { ... }));
//   std::thread loop([&] { trainer->Run(&stop); });   // until stop.Notify()
//   ... GET /metrics answers trainer->MetricsText().
// Tests drive RunRound() and NextDelay() directly with a fake fetcher and clock.
//
// Thread-safety: Run/RunRound from one thread at a time; stats(), NextDelay() and MetricsText()
// from any thread.
#ifndef KEPLER_TRAINER_ONLINE_TRAINER_H_
#define KEPLER_TRAINER_ONLINE_TRAINER_H_

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "trainer/capture.h"
#include "trainer/pipeline.h"

namespace kepler::model::trainer {

class OnlineTrainer {
 public:
  struct Options {
    // What to train: name, energy sources, feature groups, trainers, extractor, node type,
    // machine spec, threads, seed. isolator_name is overwritten with `isolator`.
    PipelineOptions pipeline;
    // The model repository; the pipeline is published at <model_path>/<pipeline.name>.
    std::string model_path;
    // Isolator ("min", "none", "profile", "trainer" or the class names) and its arguments.
    std::string isolator = "min";
    std::map<std::string, std::string> isolator_args;
    // The idle capture for the isolator: a file (read once), else a fixed window fetched once
    // (when idle_end > idle_start), else none.
    std::string idle_capture_path;
    absl::Time idle_start = absl::InfinitePast();
    absl::Time idle_end = absl::InfinitePast();
    // Length of the range trained each round: [now - window, now] (PROM_QUERY_INTERVAL).
    absl::Duration window = absl::Seconds(300);
    // Pause after a successful round (SAMPLING_INTERVAL).
    absl::Duration interval = absl::Seconds(300);
    // Longest pause after repeated failures (never below `interval`). Default 1 h.
    absl::Duration max_backoff = absl::Hours(1);
    // Where log lines go (one per round); default standard error.
    std::function<void(const std::string&)> log;
  };

  // Returns the capture JSON of [start, end]; errors should carry a PrometheusFailureReason.
  using Fetcher = std::function<absl::StatusOr<std::string>(absl::Time start, absl::Time end)>;
  using Clock = std::function<absl::Time()>;

  // What the rounds so far did.
  struct Stats {
    int rounds = 0;
    int successes = 0;
    int consecutive_failures = 0;
    // Failed rounds by reason ("unreachable", "timeout", "partial", "insufficient_data", ...).
    std::map<std::string, int> failures;
    std::string last_failure;  // reason: message of the latest failure
    absl::Time last_success = absl::InfinitePast();
    // Of the latest successful round.
    size_t last_rows = 0;
    int last_models = 0;
    size_t rows_total = 0;
    // Stage -> (seconds summed, count); stages: round, query, parse, idle, extract, fit, publish.
    std::map<std::string, std::pair<double, int>> stage_seconds;
    std::map<std::string, double> last_stage_seconds;
  };

  // InvalidArgument for a missing model path, an invalid pipeline name, no trainers, an
  // unknown isolator, "trainer" isolation over several sources, or a non-positive duration.
  static absl::StatusOr<std::unique_ptr<OnlineTrainer>> Create(Options options, Fetcher fetch,
                                                               Clock now = absl::Now);

  // One round now: fetch, parse, train, publish. The error (with its reason in stats()) when
  // the round failed; the published pipeline is then untouched.
  absl::Status RunRound();
  // The pause before the next round, from the rounds so far.
  absl::Duration NextDelay() const;
  // Rounds until `stop` is notified (checked between rounds and during pauses).
  void Run(absl::Notification* stop);

  Stats stats() const;
  // The stats in Prometheus text format, names prefixed kepler_online_trainer_.
  std::string MetricsText() const;

 private:
  struct Round;
  OnlineTrainer(Options options, Fetcher fetch, Clock now);
  absl::Status Train(Round& round);
  absl::StatusOr<const Capture*> Idle(Round& round);
  void Record(const Round& round, const absl::Status& status);
  void Log(const std::string& line) const;

  const Options options_;
  const Fetcher fetch_;
  const Clock now_;
  std::optional<Capture> idle_;  // touched by the round thread only

  mutable absl::Mutex mu_;
  Stats stats_ ABSL_GUARDED_BY(mu_);
};

// The reason of a failed round's status: PrometheusFailureReason when it has one, else by
// stage and code (e.g. "insufficient_data" for nothing trainable).
std::string RoundFailureReason(absl::string_view stage, const absl::Status& status);

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_ONLINE_TRAINER_H_
