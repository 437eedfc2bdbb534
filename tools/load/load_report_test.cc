#include "tools/load/load_report.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace kepler::model::tools {
namespace {

TEST(MergeTest, SumsCountsAndSamplesAndKeepsTheLongerWindow) {
  LoadResult total;
  total.latencies_ns = {1, 2};
  total.outcomes = {{"200", 2}};
  total.ok = 2;
  total.seconds = 1.0;
  LoadResult part;
  part.latencies_ns = {3};
  part.outcomes = {{"200", 1}, {"503", 4}};
  part.ok = 1;
  part.seconds = 2.0;
  Merge(part, &total);
  EXPECT_EQ(total.latencies_ns.size(), 3u);
  EXPECT_EQ(total.outcomes["200"], 3);
  EXPECT_EQ(total.outcomes["503"], 4);
  EXPECT_EQ(total.ok, 3);
  EXPECT_EQ(total.seconds, 2.0);
}

TEST(FormatReportTest, EndsWithAMachineReadableResultLine) {
  LoadResult result;
  for (int i = 1; i <= 1000; ++i) result.latencies_ns.push_back(i * 1000);  // 1 us .. 1 ms
  result.outcomes = {{"200", 990}, {"400", 10}};
  result.ok = 990;
  result.seconds = 2.0;
  std::string report = FormatReport("POST /model", result);
  EXPECT_TRUE(absl::StartsWith(report, "POST /model\n")) << report;
  EXPECT_TRUE(absl::StrContains(report, "  400: 10\n")) << report;
  EXPECT_TRUE(absl::StrContains(
      report,
      "RESULT requests=1000 ok=990 errors=10 seconds=2.000 rps=500.0 mean_ms=0.500 "
      "p50_ms=0.500 p90_ms=0.900 p99_ms=0.990 p999_ms=0.999 max_ms=1.000\n"))
      << report;
}

TEST(FormatReportTest, EmptyRunReportsZeros) {
  std::string report = FormatReport("nothing", LoadResult{});
  EXPECT_TRUE(absl::StrContains(report, "RESULT requests=0 ok=0 errors=0 seconds=0.000 rps=0.0"))
      << report;
}

}  // namespace
}  // namespace kepler::model::tools
