#include "tools/cli/capture_merge.h"

#include <cmath>

#include "gtest/gtest.h"
#include "tools/capture_generator.h"

namespace kepler::model::tools::cli {
namespace {

trainer::Capture Generate(double start, double duration) {
  GeneratorOptions options;
  options.containers = 4;
  options.start_time = start;
  options.duration_seconds = duration;
  auto generated = GenerateCapture(options);
  EXPECT_TRUE(generated.ok()) << generated.status();
  auto capture = trainer::Capture::Parse(generated->json);
  EXPECT_TRUE(capture.ok()) << capture.status();
  return *std::move(capture);
}

TEST(CaptureMergeTest, JoinsSeriesWithTheSameLabelsInTimeOrder) {
  trainer::Capture later = Generate(2000, 60);
  trainer::Capture earlier = Generate(1000, 60);
  auto merged = trainer::Capture::Parse(MergeCaptures({&later, &earlier}));
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->QueryNames(), earlier.QueryNames());
  EXPECT_EQ(merged->num_samples(), earlier.num_samples() + later.num_samples());
  const trainer::SeriesTable* package = merged->Find("kepler_node_package_joules_total");
  ASSERT_NE(package, nullptr);
  EXPECT_EQ(package->num_series(), earlier.Find("kepler_node_package_joules_total")->num_series());
  auto times = package->Timestamps(0);
  EXPECT_EQ(times.front(), 1000);
  EXPECT_EQ(times.back(), 2060);
  auto values = package->Values(0);
  auto original = earlier.Find("kepler_node_package_joules_total");
  EXPECT_EQ(values[1], original->Values(0)[1]) << "values round-trip exactly";
}

TEST(CaptureMergeTest, OverlappingSamplesKeepTheFirstInput) {
  auto a = trainer::Capture::Parse(
      R"({"m": [{"metric": {"__name__": "m", "x": "1"}, "values": [[1, "10"], [2, "20"]]}]})");
  auto b = trainer::Capture::Parse(
      R"({"m": [{"metric": {"__name__": "m", "x": "1"}, "values": [[2, "99"], [3, "NaN"]]},)"
      R"(       {"metric": {"__name__": "m", "x": "2"}, "values": [[1, "+Inf"]]}],)"
      R"( "n": [{"metric": {"__name__": "n"}, "values": [[1.5, "0.125"]]}]})");
  ASSERT_TRUE(a.ok() && b.ok());
  auto merged = trainer::Capture::Parse(MergeCaptures({&*a, &*b}));
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->QueryNames(), (std::vector<std::string>{"m", "n"}));
  const trainer::SeriesTable* m = merged->Find("m");
  ASSERT_EQ(m->num_series(), 2u);
  EXPECT_EQ(m->Label(0, "x"), "1");
  EXPECT_EQ(std::vector<double>(m->Timestamps(0).begin(), m->Timestamps(0).end()),
            (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(m->Values(0)[1], 20) << "the first input wins at t=2";
  EXPECT_TRUE(std::isnan(m->Values(0)[2]));
  EXPECT_TRUE(std::isinf(m->Values(1)[0]));
  EXPECT_EQ(merged->Find("n")->Values(0)[0], 0.125);
}

TEST(CaptureMergeTest, OneInputComesBackUnchangedInContent) {
  trainer::Capture only = Generate(1000, 30);
  auto merged = trainer::Capture::Parse(MergeCaptures({&only}));
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->num_samples(), only.num_samples());
  EXPECT_EQ(merged->num_queries(), only.num_queries());
}

}  // namespace
}  // namespace kepler::model::tools::cli
