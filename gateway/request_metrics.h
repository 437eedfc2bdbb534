// Request counters and latency histograms per route, in Prometheus text exposition format.
//
// Every transport records each answered request here; the /metrics handler appends Text() to the
// service's own metrics. Thread-safe; recording takes one short mutex.
#ifndef KEPLER_GATEWAY_REQUEST_METRICS_H_
#define KEPLER_GATEWAY_REQUEST_METRICS_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "absl/synchronization/mutex.h"

namespace kepler::model::gateway {

class RequestMetrics {
 public:
  // `prefix` names the metrics, e.g. "kepler_model_server" gives
  // kepler_model_server_requests_total and kepler_model_server_request_duration_seconds.
  explicit RequestMetrics(std::string prefix) : prefix_(std::move(prefix)) {}

  // Counts one request of `route` answered with `status` after `seconds`.
  void Record(const std::string& route, int status, double seconds);

  // The exposition text of every series recorded so far.
  std::string Text() const;

  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                      0.005,  0.01,    0.025,  0.05,  0.1,
                                                      0.5,    2.5};

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };

  const std::string prefix_;
  mutable absl::Mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Histogram> durations_ ABSL_GUARDED_BY(mu_);
};

}  // namespace kepler::model::gateway

#endif  // KEPLER_GATEWAY_REQUEST_METRICS_H_
