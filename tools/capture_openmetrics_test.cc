#include "tools/capture_openmetrics.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tools/capture_generator.h"

namespace kepler::model::tools {
namespace {

constexpr char kCapture[] = R"({
  "kepler_node_package_joules_total": [
    {"metric": {"__name__": "kepler_node_package_joules_total", "mode": "dynamic",
                "source": "rapl-sysfs", "pod": "a\"b"},
     "values": [[1000, "10"], [1003, "40.5"], [1006.25, "NaN"]]}],
  "kepler_node_info": [
    {"metric": {"cpu_architecture": "Broadwell"}, "values": [[1003, "1"]]}]})";

trainer::Capture Parse(const std::string& json) {
  auto capture = trainer::Capture::Parse(json);
  EXPECT_TRUE(capture.ok()) << capture.status();
  return *std::move(capture);
}

TEST(CaptureOpenMetricsTest, EverySampleWithItsTimestampThenEof) {
  EXPECT_EQ(CaptureToOpenMetrics(Parse(kCapture), 100),
            "kepler_node_info{cpu_architecture=\"Broadwell\"} 1 1103.000\n"
            "kepler_node_package_joules_total{mode=\"dynamic\",pod=\"a\\\"b\",source=\"rapl-sysfs\"} 10 1100.000\n"
            "kepler_node_package_joules_total{mode=\"dynamic\",pod=\"a\\\"b\",source=\"rapl-sysfs\"} 40.5 1103.000\n"
            "kepler_node_package_joules_total{mode=\"dynamic\",pod=\"a\\\"b\",source=\"rapl-sysfs\"} NaN 1106.250\n"
            "# EOF\n");
}

TEST(CaptureOpenMetricsTest, ExpositionHoldsTheLatestSampleOfEachStartedSeries) {
  trainer::Capture capture = Parse(kCapture);
  EXPECT_EQ(ExpositionAt(capture, 1001),
            "kepler_node_package_joules_total{mode=\"dynamic\",pod=\"a\\\"b\",source=\"rapl-sysfs\"} 10\n");
  EXPECT_EQ(ExpositionAt(capture, 1003),
            "kepler_node_info{cpu_architecture=\"Broadwell\"} 1\n"
            "kepler_node_package_joules_total{mode=\"dynamic\",pod=\"a\\\"b\",source=\"rapl-sysfs\"} 40.5\n");
  EXPECT_EQ(ExpositionAt(capture, 999), "");
  EXPECT_EQ(CaptureTimeRange(capture), std::make_pair(1000.0, 1006.25));
}

TEST(CaptureOpenMetricsTest, GeneratedCaptureRoundTripsThroughTheText) {
  GeneratorOptions options;
  options.duration_seconds = 30;
  options.containers = 3;
  auto generated = GenerateCapture(options);
  ASSERT_TRUE(generated.ok());
  trainer::Capture capture = Parse(generated->json);
  std::string text = CaptureToOpenMetrics(capture);
  size_t lines = std::count(text.begin(), text.end(), '\n');
  EXPECT_EQ(lines, capture.num_samples() + 1);
  EXPECT_TRUE(absl::StrContains(text, "kepler_container_bpf_cpu_time_ms_total{container=\"kepler-exporter\""));
  EXPECT_FALSE(absl::StrContains(text, "__name__"));
}

}  // namespace
}  // namespace kepler::model::tools
