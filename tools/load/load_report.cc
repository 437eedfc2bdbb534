#include "tools/load/load_report.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/load/latency_stats.h"

namespace kepler::model::tools {
namespace {

double Ms(double ns) { return ns / 1e6; }

int64_t Total(const LoadResult& result) {
  int64_t total = 0;
  for (const auto& [label, count] : result.outcomes) total += count;
  return total;
}

std::string OutcomeLines(const LoadResult& result) {
  std::string lines;
  for (const auto& [label, count] : result.outcomes) {
    absl::StrAppend(&lines, "  ", label, ": ", count, "\n");
  }
  return lines;
}

}  // namespace

void Merge(LoadResult part, LoadResult* total) {
  total->latencies_ns.insert(total->latencies_ns.end(), part.latencies_ns.begin(),
                             part.latencies_ns.end());
  for (const auto& [label, count] : part.outcomes) total->outcomes[label] += count;
  total->ok += part.ok;
  if (part.seconds > total->seconds) total->seconds = part.seconds;
}

std::string FormatReport(absl::string_view title, const LoadResult& result) {
  const LatencySummary s = Summarize(result.latencies_ns);
  const int64_t requests = Total(result);
  const double rps = result.seconds > 0 ? requests / result.seconds : 0;
  std::string text = absl::StrFormat(
      "%s\n  %d requests in %.2f s: %.1f requests/s, %d ok, %d errors\n"
      "  latency ms: mean %.3f  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f\n"
      "outcomes:\n",
      title, requests, result.seconds, rps, result.ok, requests - result.ok, Ms(s.mean_ns),
      Ms(s.p50_ns), Ms(s.p90_ns), Ms(s.p99_ns), Ms(s.p999_ns), Ms(s.max_ns));
  absl::StrAppend(&text, OutcomeLines(result));
  absl::StrAppendFormat(&text,
                        "RESULT requests=%d ok=%d errors=%d seconds=%.3f rps=%.1f mean_ms=%.3f "
                        "p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f\n",
                        requests, result.ok, requests - result.ok, result.seconds, rps,
                        Ms(s.mean_ns), Ms(s.p50_ns), Ms(s.p90_ns), Ms(s.p99_ns), Ms(s.p999_ns),
                        Ms(s.max_ns));
  return text;
}

}  // namespace kepler::model::tools
