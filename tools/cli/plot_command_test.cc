// End to end: runs the real `kepler-model plot` on pipelines the CLI trained and on a published
// database pipeline, and parses every SVG it writes as XML.
#include <filesystem>

#include "gtest/gtest.h"
#include "tools/cli/testing/cli_runner.h"
#include "tools/cli/testing/xml_summary.h"

namespace kepler::model::tools::cli {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::ReadText;
using testing::RunKeplerModel;
using testing::SummarizeXml;

class PlotCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::FreshDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    GeneratorOptions options;
    options.containers = 6;
    capture_ = testing::WriteCapture(dir_ + "/capture.json", options);
    ASSERT_FALSE(capture_.empty());
  }
  void Train(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"train", "--output=" + dir_ + "/p", "--feature-groups=BPFOnly",
                                     "--trainers=LinearRegression,SGDRegressor"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(capture_);
    CliResult trained = RunKeplerModel(args);
    ASSERT_EQ(trained.exit_code, 0) << trained.err;
  }
  testing::XmlSummary Svg(const std::string& file) {
    std::string text = ReadText(dir_ + "/plots/" + file);
    EXPECT_FALSE(text.empty()) << file;
    auto xml = SummarizeXml(text);
    EXPECT_TRUE(xml.ok()) << file << ": " << xml.status();
    EXPECT_EQ(xml.ok() ? xml->root : "", "svg") << file;
    return xml.ok() ? *xml : testing::XmlSummary{};
  }
  std::string dir_, capture_;
};

TEST_F(PlotCommandTest, WritesCurveAndScatterSvgsPerModel) {
  Train({});
  CliResult r = RunKeplerModel(
      {"plot", "--capture=" + capture_, "--output-dir=" + dir_ + "/plots", dir_ + "/p"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("rapl-sysfs/DynPower/BPFOnly/SGDRegressorTrainer_0"), std::string::npos)
      << r.out;
  int svgs = 0;
  for (const auto& entry : fs::directory_iterator(dir_ + "/plots"))
    svgs += entry.path().extension() == ".svg";
  EXPECT_EQ(svgs, 2 * 2 * 2) << "two trainers, two output types, two pictures";
  testing::XmlSummary curve =
      Svg("rapl-sysfs_AbsPower_BPFOnly_LinearRegressionTrainer_0_curve.svg");
  EXPECT_EQ(curve.elements["polyline"], 4) << "one curve per rapl component";
  EXPECT_GE(curve.elements["circle"], 4 * 100) << "the measured rows of every component";
  EXPECT_NE(curve.text.find("power curve"), std::string::npos);
  EXPECT_NE(curve.text.find("bpf_cpu_time_ms"), std::string::npos) << "the main feature on x";
  EXPECT_NE(curve.text.find("package measured"), std::string::npos);
  testing::XmlSummary scatter =
      Svg("rapl-sysfs_AbsPower_BPFOnly_LinearRegressionTrainer_0_scatter.svg");
  EXPECT_NE(scatter.text.find("predicted vs measured"), std::string::npos);
  EXPECT_NE(scatter.text.find("measured power (W)"), std::string::npos);
  EXPECT_NE(scatter.text.find("package (mae "), std::string::npos);
  std::string scatter_text =
      ReadText(dir_ + "/plots/rapl-sysfs_AbsPower_BPFOnly_LinearRegressionTrainer_0_scatter.svg");
  EXPECT_NE(scatter_text.find("class=\"diagonal\""), std::string::npos);
  std::string index = ReadText(dir_ + "/plots/index.html");
  EXPECT_NE(
      index.find("<img src=\"rapl-sysfs_DynPower_BPFOnly_SGDRegressorTrainer_0_scatter.svg\">"),
      std::string::npos)
      << index;
}

TEST_F(PlotCommandTest, FiltersModelsAndDrawsProgress) {
  Train({});
  CliResult r = RunKeplerModel({"plot", "--capture=" + capture_, "--output-dir=" + dir_ + "/plots",
                                "--output-type=AbsPower", "--trainer=SGDRegressor", "--progress",
                                dir_ + "/p"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(
      fs::exists(dir_ + "/plots/rapl-sysfs_AbsPower_BPFOnly_SGDRegressorTrainer_0_curve.svg"));
  EXPECT_FALSE(
      fs::exists(dir_ + "/plots/rapl-sysfs_AbsPower_BPFOnly_LinearRegressionTrainer_0_curve.svg"));
  EXPECT_NE(r.err.find("1/1  100%"), std::string::npos) << r.err;
}

TEST_F(PlotCommandTest, ProfilePipelinesNeedTheIdleCaptureForDynPower) {
  Train({"--isolator=profile", "--idle=testdata/prom/idle.json"});
  std::vector<std::string> base = {"plot", "--capture=" + capture_,
                                   "--output-dir=" + dir_ + "/plots", "--trainer=LinearRegression"};
  std::vector<std::string> without = base;
  without.push_back(dir_ + "/p");
  CliResult r = RunKeplerModel(without);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("not plotted: --isolator=profile needs --idle"), std::string::npos) << r.out;
  std::vector<std::string> with = base;
  with.push_back("--idle=testdata/prom/idle.json");
  with.push_back(dir_ + "/p");
  CliResult idle = RunKeplerModel(with);
  ASSERT_EQ(idle.exit_code, 0) << idle.err;
  EXPECT_EQ(idle.out.find("not plotted"), std::string::npos) << idle.out;
  Svg("rapl-sysfs_DynPower_BPFOnly_LinearRegressionTrainer_0_scatter.svg");
}

TEST_F(PlotCommandTest, PlotsEvaluableModelsOfAPublishedDatabase) {
  CliResult r = RunKeplerModel({"plot", "--capture=testdata/prom/idle.json",
                                "--output-dir=" + dir_ + "/plots", "--output-type=AbsPower",
                                "testdata/model-db/ec2-0.7.11"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Every model is plotted, the pickled scikit-learn ones included.
  EXPECT_EQ(r.out.find("not plotted: "), std::string::npos) << r.out;
  Svg("rapl-sysfs_AbsPower_BPFOnly_SGDRegressorTrainer_0_curve.svg");
  Svg("rapl-sysfs_AbsPower_BPFOnly_GradientBoostingRegressorTrainer_0_scatter.svg");
  Svg("rapl-sysfs_AbsPower_BPFOnly_KNeighborsRegressorTrainer_1_curve.svg");
  Svg("rapl-sysfs_AbsPower_BPFOnly_XgboostFitTrainer_0_scatter.svg");
}

TEST_F(PlotCommandTest, ReportsErrorsWithExitCodes) {
  EXPECT_EQ(
      RunKeplerModel({"plot", "--output-dir=" + dir_ + "/plots", "testdata/model-db/ec2-0.7.11"})
          .exit_code,
      2);
  EXPECT_EQ(
      RunKeplerModel({"plot", "--capture=" + capture_, "testdata/model-db/ec2-0.7.11"}).exit_code,
      2);
  EXPECT_EQ(RunKeplerModel({"plot", "--capture=" + capture_, "--output-dir=x",
                            "--feature-group=Foo", "testdata/model-db/ec2-0.7.11"})
                .exit_code,
            2);
  CliResult none =
      RunKeplerModel({"plot", "--capture=" + capture_, "--output-dir=" + dir_ + "/plots",
                      "--source=acpi", "testdata/model-db/ec2-0.7.11"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("no model matching"), std::string::npos) << none.err;
  EXPECT_EQ(RunKeplerModel({"plot", "--help"}).exit_code, 0);
}

}  // namespace
}  // namespace kepler::model::tools::cli
