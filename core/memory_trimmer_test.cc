#include "core/memory_trimmer.h"

#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

// Waits (without asserting on time) until `trimmer` has trimmed `n` times.
void WaitForTrims(const MemoryTrimmer& trimmer, int64_t n) {
  while (trimmer.trims() < n) absl::SleepFor(absl::Milliseconds(1));
}

TEST(MemoryTrimmerTest, TrimsOnlyAfterEnoughRequestBytes) {
  MemoryTrimmer trimmer(absl::Milliseconds(1), 1000);
  trimmer.NoteRequest(400);
  absl::SleepFor(absl::Milliseconds(20));  // many periods: below the threshold, no trim
  EXPECT_EQ(trimmer.trims(), 0);
  trimmer.NoteRequest(600);
  WaitForTrims(trimmer, 1);
  absl::SleepFor(absl::Milliseconds(20));  // the count was consumed: no second trim
  EXPECT_EQ(trimmer.trims(), 1);
  trimmer.NoteRequest(5000);
  WaitForTrims(trimmer, 2);
}

TEST(MemoryTrimmerTest, StopsPromptlyWithALongPeriod) {
  MemoryTrimmer trimmer(absl::Hours(1), 1);
  trimmer.NoteRequest(10);
  // The destructor must not wait out the period (the test would time out).
}

}  // namespace
}  // namespace kepler::model::core
