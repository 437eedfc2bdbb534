#include "core/memory_trimmer.h"

#include <malloc.h>

namespace kepler::model::core {

MemoryTrimmer::MemoryTrimmer(absl::Duration period, size_t min_bytes)
    : period_(period), min_bytes_(min_bytes), thread_([this] { Run(); }) {}

MemoryTrimmer::~MemoryTrimmer() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

void MemoryTrimmer::Run() {
  absl::MutexLock lock(&mu_);
  while (!mu_.AwaitWithTimeout(absl::Condition(&stop_), period_)) {
    if (pending_.load(std::memory_order_relaxed) < min_bytes_) continue;
    pending_.exchange(0, std::memory_order_relaxed);  // atomically: no count noted meanwhile is lost
    mu_.Unlock();  // requests go on while the heap is trimmed
    ::malloc_trim(0);
    trims_.fetch_add(1, std::memory_order_relaxed);
    mu_.Lock();
  }
}

}  // namespace kepler::model::core
