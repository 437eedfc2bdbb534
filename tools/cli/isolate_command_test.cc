// End to end: runs the real `kepler-model isolate` with the min, none and profile isolators.
#include <algorithm>
#include <filesystem>

#include "absl/strings/numbers.h"
#include "gtest/gtest.h"
#include "tools/cli/csv_table.h"
#include "tools/cli/testing/cli_runner.h"

namespace kepler::model::tools::cli {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::ReadText;
using testing::RunKeplerModel;

class IsolateCommandTest : public ::testing::Test {
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
  double ColumnMin(const CsvTable& table, const std::string& name) {
    double low = 1e300;
    for (const auto& row : table.rows) {
      double value = 0;
      EXPECT_TRUE(absl::SimpleAtod(row[table.Column(name)], &value));
      low = std::min(low, value);
    }
    return low;
  }
  std::string dir_, capture_;
};

TEST_F(IsolateCommandTest, MinIsolatorLeavesPowerAboveTheMinimum) {
  CliResult r = RunKeplerModel(
      {"isolate", "--output-dir=" + dir_ + "/out", "--feature-groups=BPFOnly", capture_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  CsvTable table = Read("isolate_default_min_rapl-sysfs_BPFOnly.csv");
  ASSERT_EQ(table.rows.size(), 100u);
  EXPECT_EQ(table.header[1], "id");
  EXPECT_EQ(table.rows[0][1], "all containers");
  EXPECT_DOUBLE_EQ(ColumnMin(table, "package_power"), 0) << "min isolation subtracts the minimum";
}

TEST_F(IsolateCommandTest, NoneAndProfileIsolatorsNameTheirFiles) {
  CliResult none = RunKeplerModel({"isolate", "--output-dir=" + dir_ + "/out", "--isolator=none",
                                   "--feature-groups=BPFOnly", capture_});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_GT(ColumnMin(Read("isolate_default_none_rapl-sysfs_BPFOnly.csv"), "package_power"), 0);
  CliResult profile =
      RunKeplerModel({"isolate", "--output-dir=" + dir_ + "/out", "--isolator=profile",
                      "--idle=testdata/prom/idle.json", "--feature-groups=BPFOnly", capture_});
  ASSERT_EQ(profile.exit_code, 0) << profile.err;
  EXPECT_TRUE(fs::exists(dir_ + "/out/isolate_default_profile_rapl-sysfs_BPFOnly.csv"));
}

TEST_F(IsolateCommandTest, ErrorsExitWithUsageOrFailureCodes) {
  std::string out = "--output-dir=" + dir_ + "/o";
  EXPECT_EQ(RunKeplerModel({"isolate", out, "--isolator=profile", capture_}).exit_code, 2);
  EXPECT_EQ(RunKeplerModel({"isolate", out, "--isolator=trainer", capture_}).exit_code, 2);
  EXPECT_EQ(RunKeplerModel({"isolate", out, "--isolator=magic", capture_}).exit_code, 2);
  EXPECT_EQ(RunKeplerModel({"isolate", out, "--isolator-arg=nokey", capture_}).exit_code, 2);
  CliResult missing_idle = RunKeplerModel(
      {"isolate", out, "--isolator=profile", "--idle=" + dir_ + "/none.json", capture_});
  EXPECT_EQ(missing_idle.exit_code, 1) << missing_idle.err;
  EXPECT_EQ(RunKeplerModel({"isolate", "--help"}).exit_code, 0);
}

}  // namespace
}  // namespace kepler::model::tools::cli
