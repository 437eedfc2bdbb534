#include "gateway/request_metrics.h"

#include "absl/strings/str_cat.h"
#include "core/prometheus_text.h"

namespace kepler::model::gateway {

void RequestMetrics::Record(const std::string& route, int status, double seconds) {
  absl::MutexLock lock(&mu_);
  ++requests_[{route, status}];
  Histogram& histogram = durations_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++histogram.buckets[i];
  }
  ++histogram.count;
  histogram.sum += seconds;
}

std::string RequestMetrics::Text() const {
  absl::MutexLock lock(&mu_);
  std::string out = absl::StrCat("# HELP ", prefix_, "_requests_total Requests answered, by route and status.\n",
                                 "# TYPE ", prefix_, "_requests_total counter\n");
  for (const auto& [key, count] : requests_) {
    absl::StrAppend(&out, prefix_, "_requests_total{route=\"", core::EscapeLabelValue(key.first),
                    "\",status=\"", key.second, "\"} ", count, "\n");
  }
  std::string name = prefix_ + "_request_duration_seconds";
  absl::StrAppend(&out, "# HELP ", name, " Time to answer a request, by route.\n", "# TYPE ",
                  name, " histogram\n");
  for (const auto& [route, histogram] : durations_) {
    std::string label = core::EscapeLabelValue(route);
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      absl::StrAppend(&out, name, "_bucket{route=\"", label, "\",le=\"", core::FormatSampleValue(kBuckets[i]), "\"} ",
                      histogram.buckets[i], "\n");
    }
    absl::StrAppend(&out, name, "_bucket{route=\"", label, "\",le=\"+Inf\"} ", histogram.count,
                    "\n", name, "_sum{route=\"", label, "\"} ", core::FormatSampleValue(histogram.sum), "\n", name,
                    "_count{route=\"", label, "\"} ", histogram.count, "\n");
  }
  return out;
}

}  // namespace kepler::model::gateway
