// Polling for a condition in tests that watch another thread or process (testonly).
//
//   ASSERT_TRUE(Eventually([&] { return fetcher.Settled(); }));
//
// Thread-safety: reentrant; `done` runs on the calling thread.
#ifndef KEPLER_CORE_TESTING_EVENTUALLY_H_
#define KEPLER_CORE_TESTING_EVENTUALLY_H_

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace kepler::model::core::test_util {

// Calls `done` every 20 ms until it returns true (then true) or `timeout` passes (then its last
// answer).
template <typename F>
bool Eventually(F done, absl::Duration timeout = absl::Seconds(30)) {
  for (const absl::Time end = absl::Now() + timeout; absl::Now() < end;) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return done();
}

}  // namespace kepler::model::core::test_util

#endif  // KEPLER_CORE_TESTING_EVENTUALLY_H_
