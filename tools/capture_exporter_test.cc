// The capture-exporter binary: OpenMetrics for promtool, and a live /metrics replay.
#include <filesystem>

#include "absl/strings/match.h"
#include "core/file_util.h"
#include "core/testing/subprocess.h"
#include "gateway/testing/http_client.h"
#include "gtest/gtest.h"
#include "tools/capture_generator.h"

namespace kepler::model::tools {
namespace {

namespace fs = std::filesystem;
using core::test_util::Subprocess;

class CaptureExporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(root_);
    fs::create_directories(root_);
    GeneratorOptions options;
    options.duration_seconds = 30;
    options.containers = 3;
    ASSERT_TRUE(core::WriteFileAtomic(capture(), GenerateCapture(options)->json).ok());
  }
  std::string capture() const { return (root_ / "capture.json").string(); }
  fs::path root_;
};

TEST_F(CaptureExporterTest, WritesOpenMetricsForPromtool) {
  std::string out = (root_ / "capture.om").string();
  auto exporter = Subprocess::Start({"tools/capture-exporter",
                                     {"--capture=" + capture(), "--openmetrics_out=" + out,
                                      "--time_offset=100"},
                                     {},
                                     (root_ / "exporter.log").string()});
  ASSERT_TRUE(exporter.ok());
  ASSERT_TRUE((*exporter)->WaitForLog("capture-exporter: wrote ").ok()) << (*exporter)->Log();
  std::string text = core::ReadFile(out).value_or("");
  EXPECT_TRUE(absl::EndsWith(text, "\n# EOF\n"));
  EXPECT_TRUE(absl::StrContains(text, "kepler_node_package_joules_total{"));
  EXPECT_TRUE(absl::StrContains(text, " 1702462699.000\n")) << "first sample time + 100";
}

TEST_F(CaptureExporterTest, ReplaysTheCaptureAsKeplersMetricsPage) {
  auto exporter = Subprocess::Start({"tools/capture-exporter",
                                     {"--capture=" + capture(), "--port=0"},
                                     {},
                                     (root_ / "exporter.log").string()});
  ASSERT_TRUE(exporter.ok());
  auto port = core::test_util::IntAfter((*exporter)->WaitForLog("capture-exporter: replaying ").value(),
                                        "on port ");
  ASSERT_TRUE(port.ok()) << (*exporter)->Log();
  auto page = gateway::testing::HttpGet("127.0.0.1", *port, "/metrics");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->status, 200);
  EXPECT_TRUE(absl::StartsWith(page->content_type, "text/plain; version=0.0.4"));
  EXPECT_TRUE(absl::StrContains(page->body, "kepler_container_bpf_cpu_time_ms_total{container=\""));
  EXPECT_FALSE(absl::StrContains(page->body, "__name__"));
}

}  // namespace
}  // namespace kepler::model::tools
