// End to end: trains a pipeline with the real CLI, sets its models' errors around the §7.4
// thresholds, and checks which models `kepler-model export` keeps and what it writes.
#include <filesystem>
#include <fstream>
#include <map>

#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "tools/cli/testing/cli_runner.h"

namespace kepler::model::tools::cli {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::ReadText;
using testing::RunKeplerModel;

constexpr char kGroup[] = "rapl-sysfs/AbsPower/BPFOnly";

// Rewrites mae and mape in a model folder's metadata.json (which the loader reads first).
void SetErrors(const std::string& model_dir, double mae, double mape) {
  rapidjson::Document doc;
  doc.Parse(ReadText(model_dir + "/metadata.json").c_str());
  ASSERT_TRUE(doc.IsObject()) << model_dir;
  doc["mae"].SetDouble(mae);
  doc["mape"].SetDouble(mape);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  std::ofstream(model_dir + "/metadata.json") << buffer.GetString();
}

class ExportCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::FreshDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    GeneratorOptions options;
    options.containers = 6;
    options.duration_seconds = 600;
    std::string capture = testing::WriteCapture(dir_ + "/capture.json", options);
    pipeline_ = dir_ + "/my_pipeline";
    CliResult trained = RunKeplerModel(
        {"train", "--output=" + pipeline_, "--feature-groups=BPFOnly", "--dyn-trainers=none",
         "--abs-trainers=SGDRegressor,LogarithmicRegression,LinearRegression,PolynomialRegression,"
         "XgboostFit",
         "--machine-spec=testdata/prom/machine_spec.json", capture});
    ASSERT_EQ(trained.exit_code, 0) << trained.err;
    std::string group = pipeline_ + "/" + kGroup + "/";
    SetErrors(group + "SGDRegressorTrainer_0", 10, 100);            // mae <= 10: kept
    SetErrors(group + "LogarithmicRegressionTrainer_0", 100, 20);   // mape <= 20: kept
    SetErrors(group + "LinearRegressionTrainer_0", 10.01, 20.01);   // neither: dropped
    SetErrors(group + "PolynomialRegressionTrainer_0", 100.01, 1);  // mae > 100: dropped
    SetErrors(group + "XgboostFitTrainer_0", 1, 100.01);            // mape > 100: dropped
  }
  std::string dir_, pipeline_;
};

TEST_F(ExportCommandTest, KeepsOnlyModelsWithinTheThresholds) {
  CliResult r =
      RunKeplerModel({"export", "--output=" + dir_ + "/db", "--publisher=kepler-team", pipeline_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("exported 2 of 5 models"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("dropped: mape 20.01 > 20 and mae 10.01 > 10"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("dropped: mae 100.01 > 100"), std::string::npos);
  EXPECT_NE(r.out.find("dropped: mape 100.01 > 100"), std::string::npos);
  std::string out = dir_ + "/db/v0.7/my_pipeline/";
  std::string group = out + kGroup + "/";
  EXPECT_TRUE(fs::exists(group + "SGDRegressorTrainer_0.zip"));
  EXPECT_TRUE(fs::exists(group + "SGDRegressorTrainer_0.json")) << "weight document beside the zip";
  EXPECT_TRUE(fs::exists(group + "LogarithmicRegressionTrainer_0.zip"));
  EXPECT_TRUE(fs::exists(group + "LogarithmicRegressionTrainer_0.json"));
  for (const char* dropped :
       {"LinearRegressionTrainer_0", "PolynomialRegressionTrainer_0", "XgboostFitTrainer_0"}) {
    EXPECT_FALSE(fs::exists(group + dropped + ".zip")) << dropped;
  }
  EXPECT_FALSE(fs::exists(group + "SGDRegressorTrainer_0")) << "archives only, no model folders";
  EXPECT_TRUE(fs::exists(out + "node_type_index.json"));
  std::string csv = ReadText(out + "rapl-sysfs_AbsPower_model_metadata.csv");
  EXPECT_EQ(csv.rfind("model_name,trainer,node_type,feature_group,mae,mape\n", 0), 0u) << csv;
  EXPECT_NE(csv.find("SGDRegressorTrainer_0,"), std::string::npos);
  EXPECT_EQ(csv.find("LinearRegressionTrainer_0"), std::string::npos);
  rapidjson::Document meta;
  meta.Parse(ReadText(out + "metadata.json").c_str());
  ASSERT_TRUE(meta.IsObject());
  EXPECT_STREQ(meta["name"].GetString(), "my_pipeline");
  EXPECT_STREQ(meta["publisher"].GetString(), "kepler-team");
  EXPECT_STREQ(meta["collect_time"].GetString(), "2023-12-13 10:16:39")
      << "from train_arguments.json";
  EXPECT_EQ(std::string(meta["export_time"].GetString()).size(), 19u);
  for (const auto& entry : fs::directory_iterator(dir_ + "/db/v0.7")) {
    EXPECT_EQ(entry.path().filename(), "my_pipeline") << "no staging folder left behind";
  }
  CliResult inspected = RunKeplerModel({"inspect", out});
  ASSERT_EQ(inspected.exit_code, 0) << inspected.err;
  EXPECT_NE(inspected.out.find("2 of 2 models"), std::string::npos) << inspected.out;
}

TEST_F(ExportCommandTest, ReExportsAPublishedDatabasePipeline) {
  CliResult r = RunKeplerModel({"export", "--output=" + dir_ + "/db", "--publisher=me",
                                "--db-version=v0.8", "testdata/model-db/ec2-0.7.11"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("exported 19 of 19 models"), std::string::npos) << r.out;
  rapidjson::Document meta;
  meta.Parse(ReadText(dir_ + "/db/v0.8/ec2-0.7.11/metadata.json").c_str());
  ASSERT_TRUE(meta.IsObject());
  EXPECT_STREQ(meta["publisher"].GetString(), "me");
  EXPECT_STREQ(meta["collect_time"].GetString(), "2024-07-25 21:05:43");
  CliResult when =
      RunKeplerModel({"export", "--output=" + dir_ + "/db", "--publisher=me",
                      "--collect-time=2025-01-02 03:04:05", "testdata/model-db/ec2-0.7.11"});
  ASSERT_EQ(when.exit_code, 0) << when.err;
  EXPECT_NE(ReadText(dir_ + "/db/v0.7/ec2-0.7.11/metadata.json")
                .find("\"collect_time\": \"2025-01-02 03:04:05\""),
            std::string::npos);
}

TEST_F(ExportCommandTest, NothingGoodEnoughIsAFailure) {
  std::string group = pipeline_ + "/" + kGroup + "/";
  SetErrors(group + "SGDRegressorTrainer_0", 500, 1);
  SetErrors(group + "LogarithmicRegressionTrainer_0", 50, 50);
  CliResult r = RunKeplerModel({"export", "--output=" + dir_ + "/db", "--publisher=me", pipeline_});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("none of the 5 models of my_pipeline meets the export thresholds"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir_ + "/db/v0.7/my_pipeline"));
}

TEST_F(ExportCommandTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(RunKeplerModel({"export", "--output=" + dir_ + "/db", pipeline_}).exit_code, 2);
  EXPECT_EQ(RunKeplerModel({"export", "--publisher=me", pipeline_}).exit_code, 2);
  EXPECT_EQ(RunKeplerModel({"export", "--output=x", "--publisher=me"}).exit_code, 2);
  EXPECT_EQ(
      RunKeplerModel({"export", "--output=x", "--publisher=me", "--db-version=a/b", pipeline_})
          .exit_code,
      2);
  EXPECT_EQ(RunKeplerModel({"export", "--output=x", "--publisher=me", dir_ + "/none"}).exit_code,
            1);
  EXPECT_EQ(RunKeplerModel({"export", "--help"}).exit_code, 0);
}

}  // namespace
}  // namespace kepler::model::tools::cli
