#include "estimator/model_cache.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace kepler::model::estimator {

std::shared_ptr<ModelCache::Slot> ModelCache::SlotFor(const std::string& key) {
  absl::MutexLock lock(&mu_);
  auto it = slots_.find(key);
  if (it == slots_.end()) {
    if (slots_.size() >= options_.max_keys) {
      auto oldest = std::min_element(slots_.begin(), slots_.end(), [](const auto& a, const auto& b) {
        return a.second->last_used < b.second->last_used;
      });
      slots_.erase(oldest);
    }
    it = slots_.emplace(key, std::make_shared<Slot>()).first;
  }
  it->second->last_used = ++uses_;
  return it->second;
}

void ModelCache::RecordFailure(Slot& slot, absl::Status error) {
  ++slot.failures;
  absl::Duration backoff = options_.first_backoff;
  for (int i = 1; i < slot.failures && backoff < options_.max_backoff; ++i) backoff *= 2;
  backoff = std::min(backoff, options_.max_backoff);
  slot.retry_at = options_.now() + backoff;
  slot.last_error = std::move(error);
}

absl::StatusOr<std::shared_ptr<const CachedModel>> ModelCache::GetOrLoad(const std::string& key,
                                                                         const Loader& load) {
  std::shared_ptr<Slot> slot = SlotFor(key);
  absl::MutexLock lock(&slot->load_mu);
  if (slot->model != nullptr) return slot->model;
  if (options_.now() < slot->retry_at) return slot->last_error;
  auto loaded = load();
  if (!loaded.ok()) {
    RecordFailure(*slot, loaded.status());
    return loaded.status();
  }
  slot->model = *loaded;
  slot->failures = 0;
  slot->last_error = absl::OkStatus();
  return slot->model;
}

void ModelCache::Evict(const std::string& key, const absl::Status& why) {
  std::shared_ptr<Slot> slot = SlotFor(key);
  absl::MutexLock lock(&slot->load_mu);
  slot->model = nullptr;
  RecordFailure(*slot, absl::FailedPreconditionError(
                           absl::StrCat("model evicted after failing to predict: ", why.message())));
}

}  // namespace kepler::model::estimator
