// Latency percentiles for the load drivers.
//
// What: summarises a set of latency samples (nanoseconds) into count, mean, the
// p50/p90/p99/p99.9 percentiles and the maximum.
// Why: the service targets in issues 3 and 4 are stated as percentiles; every
// driver reports them the same way so the README table compares like with like.
// How: percentiles use the nearest-rank definition: the p-th percentile is the
// smallest sample such that at least p% of all samples are less than or equal to
// it. Samples are kept exactly (no histogram buckets), so a 10 s run at 30,000
// requests/s holds 300,000 values, 2.4 MB.
//
//   LatencySummary s = Summarize(std::move(samples_ns));
//   printf("p99 %.3f ms\n", s.p99_ns / 1e6);
//
// Thread-safety: free functions on values; no shared state.
#ifndef KEPLER_TOOLS_LOAD_LATENCY_STATS_H_
#define KEPLER_TOOLS_LOAD_LATENCY_STATS_H_

#include <cstdint>
#include <vector>

namespace kepler::model::tools {

struct LatencySummary {
  int64_t count = 0;   // number of samples
  double mean_ns = 0;  // arithmetic mean; 0 without samples
  int64_t p50_ns = 0;  // nearest-rank percentiles; 0 without samples
  int64_t p90_ns = 0;
  int64_t p99_ns = 0;
  int64_t p999_ns = 0;
  int64_t max_ns = 0;
};

// The nearest-rank `percent` (in (0, 100]) of `sorted` (ascending, non-empty):
// sorted[ceil(percent / 100 * n) - 1], clamped to the valid range.
int64_t NearestRank(const std::vector<int64_t>& sorted, double percent);

// Sorts `samples_ns` and summarises them.
LatencySummary Summarize(std::vector<int64_t> samples_ns);

}  // namespace kepler::model::tools

#endif  // KEPLER_TOOLS_LOAD_LATENCY_STATS_H_
