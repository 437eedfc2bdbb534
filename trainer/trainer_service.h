// The Trainer service: transport-free implementation of Train (contract §4).
//
// A request names a pipeline, an energy source, abs and dyn trainers, an isolator and its
// arguments, and carries the workload capture and optionally an idle capture. The service
// parses the captures, builds the isolator, runs the training pipeline into a working folder
// (or straight into the model path when publishing) and answers the pipeline zipped, with every
// model's metrics. Trainings run `max_concurrent` at a time; up to `max_queued` more wait; the
// rest are refused (ResourceExhausted) so a burst cannot exhaust memory.
//
// Thread-safe.
#ifndef KEPLER_TRAINER_TRAINER_SERVICE_H_
#define KEPLER_TRAINER_TRAINER_SERVICE_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "kepler/model/v1/trainer.pb.h"

namespace kepler::model::trainer {

class TrainerService {
 public:
  struct Options {
    // Where trained pipelines go when `publish` (a model server may watch it); also where
    // TrainIsolator finds AbsPower pipelines.
    std::string model_path;
    // Publish trained pipelines into model_path (replacing one of the same name atomically).
    bool publish = false;
    // Scratch space for unpublished trainings.
    std::string work_dir = "/tmp";
    int max_concurrent = 1;
    int max_queued = 4;
    // Threads of one training; 0: one per core.
    int threads = 0;
    uint64_t seed = 0;
  };

  explicit TrainerService(Options options) : options_(std::move(options)) {}

  using ProgressCallback = std::function<void(const v1::TrainProgress&)>;

  // InvalidArgument for a malformed request or a capture that cannot train (the message names
  // the field or what is missing); ResourceExhausted when the queue is full.
  absl::StatusOr<v1::TrainResult> Train(const v1::TrainRequest& request,
                                        const ProgressCallback& progress = nullptr);

 private:
  absl::StatusOr<v1::TrainResult> TrainNow(const v1::TrainRequest& request,
                                           const ProgressCallback& progress);

  const Options options_;
  absl::Mutex mu_;
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  int waiting_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_TRAINER_SERVICE_H_
