// FUZZ_CHECK: the one assertion the fuzz targets in this folder use.
//
// What: checks an invariant of the code under test and, when it does not hold, prints the
// failed condition with a message and aborts, which libFuzzer reports as a crash and saves the
// input that caused it (see docs/fuzzing.md).
// Why: assert() vanishes under NDEBUG and gtest does not run inside LLVMFuzzerTestOneInput.
// How to use: FUZZ_CHECK(frame.size() <= input.size(), "frame longer than its input");
#ifndef KEPLER_FUZZ_FUZZ_CHECK_H_
#define KEPLER_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition, message)                                            \
  do {                                                                            \
    if (!(condition)) {                                                           \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: %s\n", __FILE__, __LINE__, \
                   #condition, message);                                          \
      std::abort();                                                               \
    }                                                                             \
  } while (false)

#endif  // KEPLER_FUZZ_FUZZ_CHECK_H_
