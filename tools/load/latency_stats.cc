#include "tools/load/latency_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace kepler::model::tools {

int64_t NearestRank(const std::vector<int64_t>& sorted, double percent) {
  const double n = static_cast<double>(sorted.size());
  // The epsilon keeps 99.9% of 1000 at rank 999 despite 0.999 * 1000 = 999.0000000000001.
  auto rank = static_cast<int64_t>(std::ceil(percent / 100.0 * n - 1e-9));
  rank = std::clamp<int64_t>(rank, 1, static_cast<int64_t>(sorted.size()));
  return sorted[rank - 1];
}

LatencySummary Summarize(std::vector<int64_t> samples_ns) {
  LatencySummary summary;
  if (samples_ns.empty()) return summary;
  std::sort(samples_ns.begin(), samples_ns.end());
  summary.count = static_cast<int64_t>(samples_ns.size());
  summary.mean_ns = std::accumulate(samples_ns.begin(), samples_ns.end(), 0.0) /
                    static_cast<double>(summary.count);
  summary.p50_ns = NearestRank(samples_ns, 50);
  summary.p90_ns = NearestRank(samples_ns, 90);
  summary.p99_ns = NearestRank(samples_ns, 99);
  summary.p999_ns = NearestRank(samples_ns, 99.9);
  summary.max_ns = samples_ns.back();
  return summary;
}

}  // namespace kepler::model::tools
