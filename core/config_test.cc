#include "core/config.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void WriteKey(const std::string& key, const std::string& value) {
    std::ofstream(dir_ / key) << value;
  }
  Config Make() { return Config::FromMap(env_, dir_.string()); }

  std::filesystem::path dir_;
  std::map<std::string, std::string> env_;
};

TEST_F(ConfigTest, FileWinsOverEnvironmentWhichWinsOverDefault) {
  env_["MODEL_SERVER_PORT"] = "9000";
  env_["ERROR_KEY"] = "mape";
  WriteKey("MODEL_SERVER_PORT", "  8200\n");
  Config config = Make();
  EXPECT_EQ(config.GetInt("MODEL_SERVER_PORT", 8100), 8200);
  EXPECT_EQ(config.GetString("ERROR_KEY", "mae"), "mape");
  EXPECT_EQ(config.GetString("MODEL_TOPURL", "https://x"), "https://x");
}

TEST_F(ConfigTest, EmptyValuesFallBackToTheDefault) {
  env_["ERROR_KEY"] = "  ";
  WriteKey("MNT_PATH", "\n");
  Config config = Make();
  EXPECT_EQ(config.GetString("ERROR_KEY", "mae"), "mae");
  EXPECT_EQ(config.GetString("MNT_PATH", "/mnt"), "/mnt");
}

TEST_F(ConfigTest, OnlyExactTrueIsTrue) {
  env_["A"] = "true";
  env_["B"] = "True";
  env_["C"] = "1";
  Config config = Make();
  EXPECT_TRUE(config.GetBool("A", false));
  EXPECT_FALSE(config.GetBool("B", true));
  EXPECT_FALSE(config.GetBool("C", true));
  EXPECT_TRUE(config.GetBool("UNSET", true));
}

TEST_F(ConfigTest, UnparsableNumbersGiveTheDefault) {
  env_["PROM_QUERY_STEP"] = "three";
  env_["RATIO"] = "0.5";
  Config config = Make();
  EXPECT_EQ(config.GetInt("PROM_QUERY_STEP", 3), 3);
  EXPECT_DOUBLE_EQ(config.GetDouble("RATIO", 1), 0.5);
}

TEST_F(ConfigTest, ListsAreSplitOnCommasAndStripped) {
  env_["INITIAL_PIPELINE_URL"] = " http://a/x.zip , ,file:///b.zip";
  EXPECT_THAT(Make().GetList("INITIAL_PIPELINE_URL", {}),
              ElementsAre("http://a/x.zip", "file:///b.zip"));
}

TEST(ModelConfigTest, ParsesLinesSkipsCommentsAndSplitsOnFirstEqualsOnly) {
  auto parsed = ParseModelConfig(
      "# comment\n NODE_COMPONENTS_ESTIMATOR=true \n\nNODE_TOTAL_INIT_URL=http://h/a.zip?x=1 # c\n"
      "NOEQUALS\n=novalue\n");
  EXPECT_THAT(parsed, ElementsAre(Pair("NODE_COMPONENTS_ESTIMATOR", "true"),
                                  Pair("NODE_TOTAL_INIT_URL", "http://h/a.zip?x=1")));
}

TEST_F(ConfigTest, ModelConfigOverridesEnvironmentButNotFiles) {
  env_["MODEL_CONFIG"] = "NODE_TOTAL_INIT_URL=from-model-config\nERROR_KEY=mape\n";
  env_["NODE_TOTAL_INIT_URL"] = "from-env";
  WriteKey("ERROR_KEY", "mae");
  Config config = Make();
  EXPECT_EQ(config.GetString("NODE_TOTAL_INIT_URL", ""), "from-model-config");
  EXPECT_EQ(config.GetString("ERROR_KEY", ""), "mae");
}

TEST_F(ConfigTest, ModelConfigCanComeFromAConfigFile) {
  WriteKey("MODEL_CONFIG", "NODE_COMPONENTS_INIT_URL=file:///m.zip\n");
  EXPECT_EQ(Make().GetString("NODE_COMPONENTS_INIT_URL", ""), "file:///m.zip");
}

TEST(ConfigFromProcessTest, FlagWinsOverConfigPathVariable) {
  setenv("CONFIG_PATH", "/from/env", 1);
  EXPECT_EQ(Config::FromProcess("/from/flag").config_dir(), "/from/flag");
  EXPECT_EQ(Config::FromProcess().config_dir(), "/from/env");
  unsetenv("CONFIG_PATH");
  EXPECT_EQ(Config::FromProcess().config_dir(), std::string(kDefaultConfigDir));
}

}  // namespace
}  // namespace kepler::model::core
