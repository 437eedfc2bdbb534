// End to end: runs the real `kepler-model extract` on a generated capture and on idle.json.
#include <filesystem>

#include "gtest/gtest.h"
#include "tools/cli/csv_table.h"
#include "tools/cli/testing/cli_runner.h"

namespace kepler::model::tools::cli {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::ReadText;
using testing::RunKeplerModel;

class ExtractCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::FreshDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    GeneratorOptions options;
    options.containers = 6;
    capture_ = testing::WriteCapture(dir_ + "/capture.json", options);
    ASSERT_FALSE(capture_.empty());
  }
  CsvTable Read(const std::string& file) {
    auto table = ParseCsv(ReadText(dir_ + "/out/" + file));
    EXPECT_TRUE(table.ok()) << file << ": " << table.status();
    return table.ok() ? *table : CsvTable{};
  }
  std::string dir_, capture_;
};

TEST_F(ExtractCommandTest, WritesNodeAndContainerTablesPerGroup) {
  CliResult r = RunKeplerModel({"extract", "--output-dir=" + dir_ + "/out", "--level=both",
                                "--feature-groups=BPFOnly,CounterOnly", capture_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  CsvTable node = Read("extract_default_rapl-sysfs_BPFOnly_node.csv");
  EXPECT_EQ(node.header,
            (std::vector<std::string>{"timestamp", "bpf_cpu_time_ms", "bpf_page_cache_hit",
                                      "package_power", "core_power", "uncore_power", "dram_power",
                                      "node_type", "packge_ratio_package"}));
  EXPECT_EQ(node.rows.size(), 100u) << "300 s at 3 s: 101 samples, the first has no rate";
  CsvTable containers = Read("extract_default_rapl-sysfs_BPFOnly_container.csv");
  EXPECT_EQ(containers.header[1], "id");
  EXPECT_EQ(containers.rows.size(), 6 * 100u);
  CsvTable counters = Read("extract_default_rapl-sysfs_CounterOnly_node.csv");
  EXPECT_GE(counters.Column("cpu_cycles"), 0);
  EXPECT_NE(r.out.find("extract_default_rapl-sysfs_BPFOnly_node.csv"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir_ + "/out/extract_default_rapl-sysfs_Basic_node.csv"));
  CliResult smooth = RunKeplerModel({"extract", "--output-dir=" + dir_ + "/out",
                                     "--extractor=smooth", "--feature-groups=BPFOnly", capture_});
  ASSERT_EQ(smooth.exit_code, 0) << smooth.err;
  EXPECT_EQ(Read("extract_smooth_rapl-sysfs_BPFOnly_node.csv").header, node.header);
}

TEST_F(ExtractCommandTest, ReadsTheReferenceIdleCaptureAndReportsMissingSources) {
  CliResult r = RunKeplerModel({"extract", "--output-dir=" + dir_ + "/out",
                                "--energy-sources=rapl-sysfs,hmc", "testdata/prom/idle.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* group : {"CounterOnly", "BPFOnly", "BPFIRQ", "CounterIRQCombined", "Basic"}) {
    std::string file = std::string("extract_default_rapl-sysfs_") + group + "_node.csv";
    EXPECT_TRUE(fs::exists(dir_ + "/out/" + file)) << file;
  }
  EXPECT_NE(r.out.find("not written"), std::string::npos)
      << "idle.json has no hmc power: " << r.out;
}

TEST_F(ExtractCommandTest, ErrorsExitWithUsageOrFailureCodes) {
  EXPECT_EQ(RunKeplerModel({"extract", capture_}).exit_code, 2);
  EXPECT_EQ(RunKeplerModel({"extract", "--output-dir=" + dir_ + "/o", "--level=rack", capture_})
                .exit_code,
            2);
  EXPECT_EQ(RunKeplerModel({"extract", "--output-dir=" + dir_ + "/o"}).exit_code, 2);
  CliResult none =
      RunKeplerModel({"extract", "--output-dir=" + dir_ + "/o", "--energy-sources=hmc", capture_});
  EXPECT_EQ(none.exit_code, 1) << none.err;
  EXPECT_NE(none.err.find("no table could be built"), std::string::npos) << none.err;
  EXPECT_EQ(
      RunKeplerModel({"extract", "--output-dir=" + dir_ + "/o", dir_ + "/missing.json"}).exit_code,
      1);
  EXPECT_EQ(RunKeplerModel({"extract", "--help"}).exit_code, 0);
}

}  // namespace
}  // namespace kepler::model::tools::cli
