// End to end: runs the real `kepler-model estimate` with model archives, a published database
// pipeline, and a pipeline the CLI trained, checked against the rows `extract` wrote.
#include <cmath>
#include <filesystem>
#include <fstream>

#include "absl/strings/numbers.h"
#include "gtest/gtest.h"
#include "tools/cli/csv_table.h"
#include "tools/cli/testing/cli_runner.h"

namespace kepler::model::tools::cli {
namespace {

using testing::CliResult;
using testing::ReadText;
using testing::RunKeplerModel;

constexpr char kEc2[] = "testdata/model-db/ec2-0.7.11";
constexpr char kSgd[] =
    "testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/SGDRegressorTrainer_0.zip";

double Number(const std::string& text) {
  double value = NAN;
  EXPECT_TRUE(absl::SimpleAtod(text, &value)) << text;
  return value;
}

class EstimateCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::FreshDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    rows_ = dir_ + "/rows.csv";
    std::ofstream(rows_) << "timestamp,bpf_cpu_time_ms,bpf_page_cache_hit,extra\n"
                            "1,0,0,x\n2,1000,10,y\n3,50000,400,z\n";
  }
  std::string dir_, rows_;
};

TEST_F(EstimateCommandTest, ModelArchiveGivesWattsPerComponent) {
  CliResult r = RunKeplerModel({"estimate", "--model=" + std::string(kSgd), rows_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto table = ParseCsv(r.out);
  ASSERT_TRUE(table.ok()) << r.out;
  EXPECT_EQ(table->header, (std::vector<std::string>{"timestamp", "package_power", "core_power",
                                                     "uncore_power", "dram_power"}));
  ASSERT_EQ(table->rows.size(), 3u);
  for (const auto& row : table->rows) {
    for (size_t c = 1; c < row.size(); ++c) EXPECT_GE(Number(row[c]), 0) << row[c];
  }
  EXPECT_GT(Number(table->rows[2][1]), Number(table->rows[0][1])) << "busier rows draw more";
  CliResult to_file = RunKeplerModel(
      {"estimate", "--model=" + std::string(kSgd), "--output=" + dir_ + "/watts.csv", rows_});
  ASSERT_EQ(to_file.exit_code, 0) << to_file.err;
  EXPECT_EQ(ReadText(dir_ + "/watts.csv"), r.out);
}

TEST_F(EstimateCommandTest, PipelinePicksTheBestEvaluableModel) {
  CliResult r = RunKeplerModel({"estimate", "--pipeline=" + std::string(kEc2), rows_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The lowest-mae model of the published pipeline is a pickled KNeighborsRegressor (2.58 W).
  EXPECT_NE(r.err.find("using rapl-sysfs/AbsPower/BPFOnly/KNeighborsRegressorTrainer_1"),
            std::string::npos)
      << r.err;
  CliResult sgd = RunKeplerModel({"estimate", "--pipeline=" + std::string(kEc2),
                                  "--trainer=SGDRegressorTrainer", "--node-type=0", rows_});
  ASSERT_EQ(sgd.exit_code, 0) << sgd.err;
  CliResult direct = RunKeplerModel({"estimate", "--model=" + std::string(kSgd), rows_});
  EXPECT_EQ(sgd.out, direct.out);
}

TEST_F(EstimateCommandTest, MatchesMeasuredPowerOnExtractedRows) {
  GeneratorOptions options;
  options.containers = 6;
  options.duration_seconds = 600;
  std::string capture = testing::WriteCapture(dir_ + "/capture.json", options);
  ASSERT_EQ(RunKeplerModel({"train", "--output=" + dir_ + "/p", "--abs-trainers=LinearRegression",
                            "--dyn-trainers=none", "--feature-groups=BPFOnly", capture})
                .exit_code,
            0);
  ASSERT_EQ(RunKeplerModel(
                {"extract", "--output-dir=" + dir_ + "/t", "--feature-groups=BPFOnly", capture})
                .exit_code,
            0);
  std::string extracted = dir_ + "/t/extract_default_rapl-sysfs_BPFOnly_node.csv";
  CliResult r = RunKeplerModel({"estimate", "--pipeline=" + dir_ + "/p", extracted});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto measured = ParseCsv(ReadText(extracted));
  auto estimated = ParseCsv(r.out);
  ASSERT_TRUE(measured.ok() && estimated.ok());
  ASSERT_EQ(estimated->rows.size(), measured->rows.size());
  double error = 0;
  for (size_t i = 0; i < measured->rows.size(); ++i) {
    EXPECT_EQ(estimated->rows[i][0], measured->rows[i][0]) << "timestamps carried through";
    error += std::abs(Number(estimated->rows[i][estimated->Column("package_power")]) -
                      Number(measured->rows[i][measured->Column("package_power")]));
  }
  EXPECT_LT(error / measured->rows.size(), 2.0) << "mean absolute error in watts";
  std::string model = dir_ + "/p/rapl-sysfs/AbsPower/BPFOnly/LinearRegressionTrainer_0";
  CliResult folder = RunKeplerModel({"estimate", "--model=" + model, extracted});
  CliResult archive = RunKeplerModel({"estimate", "--model=" + model + ".zip", extracted});
  ASSERT_EQ(folder.exit_code, 0) << folder.err;
  EXPECT_EQ(folder.out, archive.out) << "an unpacked model folder evaluates as its archive";
  EXPECT_EQ(folder.out, r.out);
}

TEST_F(EstimateCommandTest, ReportsBadInputs) {
  std::string model = "--model=" + std::string(kSgd);
  EXPECT_EQ(RunKeplerModel({"estimate", rows_}).exit_code, 2);
  EXPECT_EQ(RunKeplerModel({"estimate", model, "--pipeline=" + std::string(kEc2), rows_}).exit_code,
            2);
  EXPECT_EQ(RunKeplerModel({"estimate", model}).exit_code, 2);
  EXPECT_EQ(RunKeplerModel({"estimate", "--pipeline=x", "--output-type=Heat", rows_}).exit_code, 2);
  std::ofstream(dir_ + "/missing.csv") << "bpf_cpu_time_ms\n1\n";
  CliResult missing = RunKeplerModel({"estimate", model, dir_ + "/missing.csv"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no column 'bpf_page_cache_hit'"), std::string::npos) << missing.err;
  std::ofstream(dir_ + "/text.csv") << "bpf_cpu_time_ms,bpf_page_cache_hit\n1,lots\n";
  CliResult text = RunKeplerModel({"estimate", model, dir_ + "/text.csv"});
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.err.find("'lots' is not a number"), std::string::npos) << text.err;
  CliResult no_group = RunKeplerModel(
      {"estimate", "--pipeline=" + std::string(kEc2), "--feature-group=CounterOnly", rows_});
  EXPECT_EQ(no_group.exit_code, 1) << no_group.err;
}

}  // namespace
}  // namespace kepler::model::tools::cli
