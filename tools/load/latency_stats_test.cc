#include "tools/load/latency_stats.h"

#include <algorithm>
#include <random>

#include "gtest/gtest.h"

namespace kepler::model::tools {
namespace {

std::vector<int64_t> OneTo(int n) {
  std::vector<int64_t> v(n);
  for (int i = 0; i < n; ++i) v[i] = i + 1;
  return v;
}

TEST(NearestRankTest, MatchesTheTextbookDefinition) {
  // Wikipedia's example: {15, 20, 35, 40, 50}.
  std::vector<int64_t> v = {15, 20, 35, 40, 50};
  EXPECT_EQ(NearestRank(v, 5), 15);
  EXPECT_EQ(NearestRank(v, 30), 20);
  EXPECT_EQ(NearestRank(v, 40), 20);
  EXPECT_EQ(NearestRank(v, 50), 35);
  EXPECT_EQ(NearestRank(v, 100), 50);
}

TEST(NearestRankTest, ExactRanksDoNotRoundUpOnFloatingPointNoise) {
  std::vector<int64_t> v = OneTo(1000);
  EXPECT_EQ(NearestRank(v, 99.9), 999);
  EXPECT_EQ(NearestRank(v, 99), 990);
  EXPECT_EQ(NearestRank(v, 90), 900);
  EXPECT_EQ(NearestRank(v, 50), 500);
}

TEST(NearestRankTest, SingleSampleIsEveryPercentile) {
  std::vector<int64_t> v = {7};
  EXPECT_EQ(NearestRank(v, 0.1), 7);
  EXPECT_EQ(NearestRank(v, 99.9), 7);
}

TEST(SummarizeTest, EmptyInputGivesZeros) {
  LatencySummary s = Summarize({});
  EXPECT_EQ(s.count, 0);
  EXPECT_EQ(s.p99_ns, 0);
  EXPECT_EQ(s.max_ns, 0);
}

TEST(SummarizeTest, SortsAndSummarisesUnorderedSamples) {
  std::vector<int64_t> v = OneTo(10000);
  std::shuffle(v.begin(), v.end(), std::mt19937(42));
  LatencySummary s = Summarize(v);
  EXPECT_EQ(s.count, 10000);
  EXPECT_DOUBLE_EQ(s.mean_ns, 5000.5);
  EXPECT_EQ(s.p50_ns, 5000);
  EXPECT_EQ(s.p90_ns, 9000);
  EXPECT_EQ(s.p99_ns, 9900);
  EXPECT_EQ(s.p999_ns, 9990);
  EXPECT_EQ(s.max_ns, 10000);
}

TEST(SummarizeTest, OneSlowOutlierShowsOnlyInTheTail) {
  std::vector<int64_t> v(999, 100);
  v.push_back(1000000);
  LatencySummary s = Summarize(v);
  EXPECT_EQ(s.p99_ns, 100);
  EXPECT_EQ(s.p999_ns, 100);
  EXPECT_EQ(s.max_ns, 1000000);
}

}  // namespace
}  // namespace kepler::model::tools
