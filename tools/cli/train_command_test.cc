// End to end: runs the real `kepler-model train` on generated captures and reads what it wrote.
#include <filesystem>
#include <fstream>
#include <set>

#include "core/archive.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tools/cli/testing/cli_runner.h"

namespace kepler::model::tools::cli {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::FreshDir;
using testing::ReadText;
using testing::RunKeplerModel;
using testing::WriteCapture;

constexpr char kGroup[] = "rapl-sysfs/AbsPower/BPFOnly";

class TrainCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    GeneratorOptions options;
    options.duration_seconds = 600;
    options.containers = 6;
    capture_ = WriteCapture(dir_ + "/capture.json", options);
    ASSERT_FALSE(capture_.empty());
  }

  std::set<std::string> Entries(const std::string& zip) {
    std::set<std::string> names;
    auto entries = core::ReadZipFile(zip, core::ArchiveLimits{});
    EXPECT_TRUE(entries.ok()) << entries.status();
    if (entries.ok()) {
      for (const auto& entry : *entries) names.insert(entry.name);
    }
    return names;
  }

  std::string dir_;
  std::string capture_;
};

TEST_F(TrainCommandTest, TrainsTheChosenTrainersAndGroupsIntoAFolder) {
  std::string out = dir_ + "/models/my_pipeline";
  CliResult r =
      RunKeplerModel({"train", "--output=" + out, "--trainers=SGDRegressor,LinearRegression",
                      "--feature-groups=BPFOnly", "--seed=1", "--threads=2", capture_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("trained 4 models (0 skipped)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("BPFOnly"), std::string::npos) << r.out;
  for (const char* file :
       {"metadata.json", "train_arguments.json", "rapl-sysfs_AbsPower_model_metadata.csv",
        "rapl-sysfs/AbsPower/BPFOnly/SGDRegressorTrainer_0.zip",
        "rapl-sysfs/AbsPower/BPFOnly/LinearRegressionTrainer_0.zip",
        "rapl-sysfs/DynPower/BPFOnly/SGDRegressorTrainer_0.zip"}) {
    EXPECT_TRUE(fs::exists(out + "/" + file)) << file;
  }
  EXPECT_FALSE(fs::exists(out + "/rapl-sysfs/AbsPower/CounterOnly"));
  rapidjson::Document args;
  args.Parse(ReadText(out + "/train_arguments.json").c_str());
  ASSERT_TRUE(args.IsObject());
  EXPECT_STREQ(args["name"].GetString(), "my_pipeline");
  EXPECT_EQ(args["seed"].GetUint64(), 1u);
  EXPECT_STREQ(args["collect_time"].GetString(), "2023-12-13 10:16:39");
  for (const auto& entry : fs::directory_iterator(dir_ + "/models")) {
    EXPECT_EQ(entry.path().filename(), "my_pipeline") << "no scratch folder left behind";
  }
}

TEST_F(TrainCommandTest, ZipOutputHoldsThePipelineAtTheArchiveRoot) {
  std::string zip = dir_ + "/p.zip";
  CliResult r = RunKeplerModel({"train", "--output=" + zip, "--abs-trainers=SGDRegressor",
                                "--dyn-trainers=none", "--feature-groups=BPFOnly",
                                "--machine-spec=testdata/prom/machine_spec.json", capture_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> names = Entries(zip);
  EXPECT_TRUE(names.count("metadata.json"));
  EXPECT_TRUE(names.count("train_arguments.json"));
  EXPECT_TRUE(names.count("node_type_index.json")) << "the machine spec is indexed";
  EXPECT_TRUE(names.count(std::string(kGroup) + "/SGDRegressorTrainer_0.zip"));
  for (const std::string& name : names) EXPECT_EQ(name.find("DynPower"), std::string::npos) << name;
}

TEST_F(TrainCommandTest, ProfileIsolatorUsesTheIdleCapture) {
  std::string out = dir_ + "/profiled";
  CliResult r = RunKeplerModel({"train", "--output=" + out, "--abs-trainers=none",
                                "--dyn-trainers=LinearRegression", "--feature-groups=BPFOnly",
                                "--isolator=profile", "--idle=testdata/prom/idle.json", capture_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(out + "/rapl-sysfs/DynPower/BPFOnly/LinearRegressionTrainer_0.zip"));
  EXPECT_NE(ReadText(out + "/metadata.json").find("\"isolator\": \"profile\""), std::string::npos);
}

TEST_F(TrainCommandTest, TrainerIsolatorUsesAnAbsPowerPipeline) {
  std::string abs = dir_ + "/abs_pipeline";
  ASSERT_EQ(RunKeplerModel({"train", "--output=" + abs, "--abs-trainers=SGDRegressor",
                            "--dyn-trainers=none", "--feature-groups=BPFOnly", capture_})
                .exit_code,
            0);
  std::string out = dir_ + "/dyn";
  CliResult r = RunKeplerModel({"train", "--output=" + out, "--abs-trainers=none",
                                "--dyn-trainers=LinearRegression", "--feature-groups=BPFOnly",
                                "--isolator=trainer", "--abs-pipeline=" + abs,
                                "--idle=testdata/prom/idle.json", capture_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(out + "/rapl-sysfs/DynPower/BPFOnly/LinearRegressionTrainer_0.zip"));
  CliResult missing = RunKeplerModel({"train", "--output=" + dir_ + "/x", "--isolator=trainer",
                                      "--abs-pipeline=" + dir_ + "/nowhere", capture_});
  EXPECT_EQ(missing.exit_code, 1) << missing.err;
  EXPECT_NE(missing.err.find("needs AbsPower models of pipeline nowhere"), std::string::npos)
      << missing.err;
}

TEST_F(TrainCommandTest, MergesSeveralCaptures) {
  GeneratorOptions later;
  later.duration_seconds = 600;
  later.containers = 6;
  later.start_time = 1702462599 + 900;
  std::string second = WriteCapture(dir_ + "/later.json", later);
  std::string out = dir_ + "/merged";
  CliResult r = RunKeplerModel({"train", "--output=" + out, "--trainers=LinearRegression",
                                "--feature-groups=BPFOnly", capture_, second});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rapidjson::Document args;
  args.Parse(ReadText(out + "/train_arguments.json").c_str());
  ASSERT_TRUE(args.IsObject());
  EXPECT_EQ(args["captures"].Size(), 2u);
  EXPECT_STREQ(args["collect_time"].GetString(), "2023-12-13 10:16:39");
  EXPECT_STREQ(args["collect_end_time"].GetString(), "2023-12-13 10:41:39");
}

TEST_F(TrainCommandTest, DrawsProgressOnStderrWhenAsked) {
  CliResult r = RunKeplerModel({"train", "--output=" + dir_ + "/p", "--trainers=LinearRegression",
                                "--feature-groups=BPFOnly", "--progress", capture_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("\r[##############################]  2/2  100%  train BPFOnly"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out.find('\r'), std::string::npos);
  CliResult quiet =
      RunKeplerModel({"train", "--output=" + dir_ + "/q", "--trainers=LinearRegression",
                      "--feature-groups=BPFOnly", capture_});
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.err.find('\r'), std::string::npos) << "stderr is not a terminal here";
}

TEST_F(TrainCommandTest, UsageErrorsExitWithTwo) {
  std::vector<std::vector<std::string>> bad = {
      {"train", capture_},                   // no --output
      {"train", "--output=" + dir_ + "/x"},  // no capture
      {"train", "--output=" + dir_ + "/x", "--trainers=Magic", capture_},
      {"train", "--output=" + dir_ + "/x", "--feature-groups=Nope", capture_},
      {"train", "--output=" + dir_ + "/x", "--isolator=profile", capture_},
      {"train", "--output=" + dir_ + "/x", "--energy-sources=solar", capture_},
      {"train", "--output=" + dir_ + "/x", "--threads=many", capture_},
      {"train", "--output=" + dir_ + "/x", "--frobnicate", capture_},
  };
  for (const auto& args : bad) {
    CliResult r = RunKeplerModel(args);
    EXPECT_EQ(r.exit_code, 2) << args[args.size() - 2] << ": " << r.err;
    EXPECT_NE(r.err.find("kepler-model train: "), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(dir_ + "/x"));
}

TEST_F(TrainCommandTest, FailuresExitWithOne) {
  std::string broken = dir_ + "/broken.json";
  std::ofstream(broken) << "{\"kepler_node_package_joules_total\": [";
  CliResult missing = RunKeplerModel({"train", "--output=" + dir_ + "/x", dir_ + "/none.json"});
  EXPECT_EQ(missing.exit_code, 1) << missing.err;
  EXPECT_NE(missing.err.find("none.json"), std::string::npos) << missing.err;
  CliResult bad = RunKeplerModel({"train", "--output=" + dir_ + "/x", broken});
  EXPECT_EQ(bad.exit_code, 1) << bad.err;
  EXPECT_FALSE(fs::exists(dir_ + "/x"));
}

TEST_F(TrainCommandTest, HelpDescribesTheFlags) {
  CliResult r = RunKeplerModel({"train", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("Usage: kepler-model train [flags] CAPTURE...", 0), 0u) << r.out;
  for (const char* flag :
       {"--output", "--trainers", "--isolator", "--idle", "--extractor", "--feature-groups",
        "--energy-sources", "--node-type", "--machine-spec", "--seed", "--threads", "--progress"}) {
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
  }
}

}  // namespace
}  // namespace kepler::model::tools::cli
