// The estimator's model cache: one loaded model per key, loaded once, with backoff on failure.
//
// The key holds everything that changes which model answers (source, output type, the request's
// feature set, trainer, filter), unlike the reference's (output type, source) cache that served
// a model to requests it could not evaluate. A failed load is remembered and retried after an
// exponential backoff (1 s doubling to 60 s), so a dead model server is not hammered; the last
// error is answered meanwhile. Evict() drops a model that failed to predict so the next request
// loads again (under the same backoff).
//
// Thread-safe. Loads of one key are serialised; different keys load concurrently. The number of
// keys is bounded: past `max_keys` the least recently used key is forgotten.
#ifndef KEPLER_ESTIMATOR_MODEL_CACHE_H_
#define KEPLER_ESTIMATOR_MODEL_CACHE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "core/model.h"
#include "kepler/model/v1/types.pb.h"

namespace kepler::model::estimator {

// A loaded model with what answers need beside it.
struct CachedModel {
  std::shared_ptr<const core::Model> model;
  v1::ModelMetadata metadata;
  // Host logical CPUs / the model's machine cores, or 1 when either is unknown.
  double core_ratio = 1;
  // Where it came from, for logs: "model server", "init url ...", "local ...".
  std::string origin;
};

class ModelCache {
 public:
  using Loader = std::function<absl::StatusOr<std::shared_ptr<const CachedModel>>()>;
  using Clock = std::function<absl::Time()>;

  struct Options {
    size_t max_keys = 64;
    absl::Duration first_backoff = absl::Seconds(1);
    absl::Duration max_backoff = absl::Seconds(60);
    Clock now = [] { return absl::Now(); };
  };

  explicit ModelCache(Options options) : options_(std::move(options)) {}

  // The cached model of `key`, or the result of `load` (called at most once at a time per key,
  // and not while the key is backing off: then the last error is returned).
  absl::StatusOr<std::shared_ptr<const CachedModel>> GetOrLoad(const std::string& key,
                                                               const Loader& load);

  // Forgets the model of `key` (it failed to predict); the next GetOrLoad loads after backoff.
  void Evict(const std::string& key, const absl::Status& why);

 private:
  struct Slot {
    absl::Mutex load_mu;
    std::shared_ptr<const CachedModel> model ABSL_GUARDED_BY(load_mu);
    absl::Status last_error ABSL_GUARDED_BY(load_mu);
    absl::Time retry_at ABSL_GUARDED_BY(load_mu) = absl::InfinitePast();
    int failures ABSL_GUARDED_BY(load_mu) = 0;
    uint64_t last_used = 0;  // guarded by ModelCache::mu_
  };

  std::shared_ptr<Slot> SlotFor(const std::string& key);
  void RecordFailure(Slot& slot, absl::Status error) ABSL_EXCLUSIVE_LOCKS_REQUIRED(slot.load_mu);

  const Options options_;
  absl::Mutex mu_;
  std::map<std::string, std::shared_ptr<Slot>> slots_ ABSL_GUARDED_BY(mu_);
  uint64_t uses_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace kepler::model::estimator

#endif  // KEPLER_ESTIMATOR_MODEL_CACHE_H_
