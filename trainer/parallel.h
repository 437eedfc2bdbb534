// Runs independent tasks on a fixed number of threads.
#ifndef KEPLER_TRAINER_PARALLEL_H_
#define KEPLER_TRAINER_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace kepler::model::trainer {

// Calls task(i) for every i in [0, count) on `threads` threads (0: one per core) and returns
// when all are done. Tasks must not throw and must synchronise any state they share.
inline void ParallelFor(size_t count, int threads, const std::function<void(size_t)>& task) {
  size_t workers = threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  workers = std::min(workers, count);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < count; i = next++) task(i);
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(work);
  if (workers > 0) work();
  for (std::thread& thread : pool) thread.join();
}

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_PARALLEL_H_
