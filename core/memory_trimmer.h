// Gives the heap memory that large requests leave behind back to the operating system.
//
// What: a background thread that, every `period`, calls glibc's malloc_trim(0) if requests
// totalling at least `min_bytes` were noted since its last look.
// Why: glibc keeps freed memory in its arenas. After a burst of 1,000-row requests the
// estimator sidecar held ~3 MB more heap than it needed, for as long as it ran, and its resident
// size target is 20 MB. Trimming on every request would cost each one the page faults of
// re-growing the heap; trimming at most once per period costs nothing measurable.
// How: construct one per process, call NoteRequest(size) per request; the destructor stops the
// thread.
//
// Thread-safety: NoteRequest may be called from any thread.
#ifndef KEPLER_CORE_MEMORY_TRIMMER_H_
#define KEPLER_CORE_MEMORY_TRIMMER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace kepler::model::core {

class MemoryTrimmer {
 public:
  MemoryTrimmer(absl::Duration period, size_t min_bytes);
  ~MemoryTrimmer();
  MemoryTrimmer(const MemoryTrimmer&) = delete;
  MemoryTrimmer& operator=(const MemoryTrimmer&) = delete;

  // Counts `bytes` of request towards the next trim.
  void NoteRequest(size_t bytes) { pending_.fetch_add(bytes, std::memory_order_relaxed); }
  // How many times the heap was trimmed so far.
  int64_t trims() const { return trims_.load(std::memory_order_relaxed); }

 private:
  void Run();

  const absl::Duration period_;
  const size_t min_bytes_;
  std::atomic<size_t> pending_{0};
  std::atomic<int64_t> trims_{0};
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_MEMORY_TRIMMER_H_
