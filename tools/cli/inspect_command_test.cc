// End to end: runs the real `kepler-model inspect` on a published model database fixture and on
// a pipeline zip the CLI trained.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tools/cli/testing/cli_runner.h"

namespace kepler::model::tools::cli {
namespace {

using testing::CliResult;
using testing::RunKeplerModel;

constexpr char kEc2[] = "testdata/model-db/ec2-0.7.11";

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

// Rows of the table: the lines after the dashed rule.
std::vector<std::vector<std::string>> TableRows(const std::string& out) {
  std::vector<std::vector<std::string>> rows;
  bool after_rule = false;
  for (const std::string& line : Lines(out)) {
    if (after_rule) rows.push_back(absl::StrSplit(line, ' ', absl::SkipEmpty()));
    if (line.rfind("------", 0) == 0) after_rule = true;
  }
  return rows;
}

TEST(InspectCommandTest, ListsEveryModelWithItsErrors) {
  CliResult r = RunKeplerModel({"inspect", kEc2});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("pipeline ec2-0.7.11: isolator"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("node type 0: intel_xeon_platinum_8259cl, 96 cores"), std::string::npos);
  EXPECT_NE(r.out.find("19 of 19 models"), std::string::npos);
  std::vector<std::string> lines = Lines(r.out);
  auto header = std::find_if(lines.begin(), lines.end(),
                             [](const std::string& l) { return l.rfind("SOURCE", 0) == 0; });
  ASSERT_NE(header, lines.end());
  for (const char* column : {"TYPE", "GROUP", "MODEL", "NODE", "MAE", "MAPE", "PACKAGE_MAE"}) {
    EXPECT_NE(header->find(column), std::string::npos) << column;
  }
  auto rows = TableRows(r.out);
  ASSERT_EQ(rows.size(), 19u);
  for (const auto& row : rows) {
    ASSERT_GE(row.size(), 7u);
    EXPECT_EQ(row[0], "rapl-sysfs");
    EXPECT_TRUE(row[1] == "AbsPower" || row[1] == "DynPower") << row[1];
    EXPECT_EQ(row[2], "BPFOnly");
    double mae;
    EXPECT_TRUE(absl::SimpleAtod(row[5], &mae)) << row[5];
  }
}

TEST(InspectCommandTest, SortsByMaeAndFilters) {
  CliResult r = RunKeplerModel({"inspect", "--sort=mae", "--format=csv", kEc2});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 20u);
  EXPECT_EQ(lines[0].rfind("source,type,group,model,node,mae,mape", 0), 0u) << lines[0];
  double previous = -1;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> cells = absl::StrSplit(lines[i], ',');
    double mae;
    ASSERT_TRUE(absl::SimpleAtod(cells[5], &mae)) << lines[i];
    EXPECT_GE(mae, previous) << lines[i];
    previous = mae;
  }
  CliResult sgd =
      RunKeplerModel({"inspect", "--trainer=SGDRegressor", "--feature-group=bpfonly", kEc2});
  ASSERT_EQ(sgd.exit_code, 0) << sgd.err;
  auto rows = TableRows(sgd.out);
  ASSERT_FALSE(rows.empty());
  for (const auto& row : rows) EXPECT_EQ(row[3].rfind("SGDRegressorTrainer_", 0), 0u) << row[3];
}

TEST(InspectCommandTest, ReadsAPipelineZipTheCliTrained) {
  std::string dir = testing::FreshDir("inspect_zip");
  GeneratorOptions options;
  options.containers = 5;
  std::string capture = testing::WriteCapture(dir + "/capture.json", options);
  CliResult trained =
      RunKeplerModel({"train", "--output=" + dir + "/p.zip", "--feature-groups=BPFOnly",
                      "--trainers=SGDRegressor,LinearRegression", capture});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  CliResult r = RunKeplerModel({"inspect", dir + "/p.zip"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(TableRows(r.out).size(), 4u) << r.out;
  EXPECT_NE(r.out.find("DynPower"), std::string::npos);
}

// A single published archive: how it is evaluated (the pickles, natively), or why it cannot be.
TEST(InspectCommandTest, ShowsHowOneModelArchiveIsEvaluated) {
  const std::string dir = std::string(kEc2) + "/rapl-sysfs/AbsPower/BPFOnly/";
  CliResult gb = RunKeplerModel({"inspect", dir + "GradientBoostingRegressorTrainer_0.zip"});
  ASSERT_EQ(gb.exit_code, 0) << gb.err;
  EXPECT_NE(gb.out.find("model GradientBoostingRegressorTrainer_0: model_class scikit"),
            std::string::npos) << gb.out;
  EXPECT_NE(gb.out.find("evaluated as gradient-boosting"), std::string::npos) << gb.out;
  EXPECT_NE(gb.out.find("components: package, core, uncore, dram"), std::string::npos) << gb.out;
  CliResult knn = RunKeplerModel({"inspect", dir + "KNeighborsRegressorTrainer_1.zip"});
  ASSERT_EQ(knn.exit_code, 0) << knn.err;
  EXPECT_NE(knn.out.find("evaluated as k-neighbours"), std::string::npos) << knn.out;
  CliResult xgb = RunKeplerModel({"inspect", dir + "XgboostFitTrainer_0.zip"});
  EXPECT_NE(xgb.out.find("evaluated as xgboost"), std::string::npos) << xgb.out;
}

TEST(InspectCommandTest, ReportsErrorsWithExitCodes) {
  EXPECT_EQ(RunKeplerModel({"inspect"}).exit_code, 2);
  EXPECT_EQ(RunKeplerModel({"inspect", "--sort=speed", kEc2}).exit_code, 2);
  EXPECT_EQ(RunKeplerModel({"inspect", "--output-type=Watts", kEc2}).exit_code, 2);
  CliResult missing = RunKeplerModel({"inspect", "/nonexistent/pipeline"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("kepler-model inspect: /nonexistent/pipeline does not exist"),
            std::string::npos)
      << missing.err;
  CliResult not_pipeline = RunKeplerModel({"inspect", "testdata/model-db"});
  EXPECT_EQ(not_pipeline.exit_code, 1);
  EXPECT_NE(not_pipeline.err.find("is not a pipeline"), std::string::npos) << not_pipeline.err;
  CliResult help = RunKeplerModel({"inspect", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--sort"), std::string::npos);
}

}  // namespace
}  // namespace kepler::model::tools::cli
