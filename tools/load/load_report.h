// The outcome of a load run and its printed report.
//
// What: LoadResult collects what a load driver observed (latency samples of
// recorded requests, a count per outcome such as "200", "400", "ok",
// "connect: Connection refused", and the measured wall time); FormatReport
// turns it into a short human report followed by one machine-readable line.
// Why: both drivers (HTTP and unix socket) report the same numbers the same
// way, and tools/bench/run_service_benchmarks.sh reads them from that last
// line without parsing prose.
// How: results of several driver threads are combined with Merge(). The
// report's last line is
//   RESULT requests=N ok=N errors=N seconds=S rps=R mean_ms=.. p50_ms=..
//          p90_ms=.. p99_ms=.. p999_ms=.. max_ms=..
// (one line, space separated key=value; latencies in milliseconds, rps
// counts every recorded request, failed ones included).
//
// Thread-safety: plain values.
#ifndef KEPLER_TOOLS_LOAD_LOAD_REPORT_H_
#define KEPLER_TOOLS_LOAD_LOAD_REPORT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace kepler::model::tools {

struct LoadResult {
  // Latency of every recorded request, in nanoseconds.
  std::vector<int64_t> latencies_ns;
  // Recorded requests by outcome label ("200", "ok", "msg: ...", "read: ...").
  std::map<std::string, int64_t> outcomes;
  // Requests whose outcome was a success (HTTP 2xx; estimator msg "").
  int64_t ok = 0;
  // Length of the measured window in seconds.
  double seconds = 0;
};

// Adds `part` to `total`: samples and counts are summed, seconds is the longer.
void Merge(LoadResult part, LoadResult* total);

// The report: totals, latency percentiles, outcomes, and the RESULT line.
// `title` heads the report (e.g. "POST /model, 16 connections, closed loop").
std::string FormatReport(absl::string_view title, const LoadResult& result);

}  // namespace kepler::model::tools

#endif  // KEPLER_TOOLS_LOAD_LOAD_REPORT_H_
