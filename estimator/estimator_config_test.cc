#include "estimator/estimator_config.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::estimator {
namespace {

using ::testing::ElementsAre;

TEST(EstimatorConfigTest, EndpointFollowsTheReferenceRule) {
  core::Config defaults = core::Config::FromMap({});
  EstimatorConfig config = ReadEstimatorConfig(defaults);
  EXPECT_FALSE(config.model_server_enable);
  EXPECT_EQ(config.model_server_endpoint,
            "http://kepler-model-server.kepler.svc.cluster.local:8100/model");
  core::Config custom = core::Config::FromMap({{"MODEL_SERVER_ENABLE", "true"},
                                    {"MODEL_SERVER_URL", "http://localhost:18100/"},
                                    {"MODEL_SERVER_MODEL_REQ_PATH", "/v/model"}});
  config = ReadEstimatorConfig(custom);
  EXPECT_TRUE(config.model_server_enable);
  EXPECT_EQ(config.model_server_endpoint, "http://localhost:18100/v/model");
}

TEST(EstimatorConfigTest, InitUrlKeysDependOnSourceAndOutputType) {
  core::Config env = core::Config::FromMap({{"MODEL_CONFIG", "NODE_COMPONENTS_INIT_URL=http://a/n.zip\n"
                                                  "NODE_TOTAL_INIT_URL=http://a/t.zip\n"
                                                  "CONTAINER_COMPONENTS_INIT_URL=http://a/c.zip\n"}});
  EstimatorConfig config = ReadEstimatorConfig(env);
  EXPECT_THAT(InitModelUrls(config, "rapl-sysfs", v1::AbsPower), ElementsAre("http://a/n.zip"));
  EXPECT_THAT(InitModelUrls(config, "acpi", v1::AbsPower), ElementsAre("http://a/t.zip"));
  EXPECT_THAT(InitModelUrls(config, "rapl-sysfs", v1::DynPower), ElementsAre("http://a/c.zip"));
  EXPECT_TRUE(InitModelUrls(config, "unknown", v1::AbsPower).empty());
}

TEST(EstimatorConfigTest, DefaultsPointAtThePublishedDatabase) {
  core::Config env = core::Config::FromMap({});
  EstimatorConfig config = ReadEstimatorConfig(env);
  auto urls = InitModelUrls(config, "acpi", v1::DynPower);
  ASSERT_EQ(urls.size(), 1u);
  EXPECT_EQ(urls[0],
            "https://raw.githubusercontent.com/sustainable-computing-io/kepler-model-db/main/"
            "models/v0.7/specpower-0.7.11/acpi/DynPower/BPFOnly/XgboostFitTrainer_109.zip");
  core::Config local = core::Config::FromMap({{"MODEL_TOPURL", "http://localhost:8110"}});
  config = ReadEstimatorConfig(local);
  EXPECT_EQ(InitModelUrls(config, "rapl-sysfs", v1::AbsPower)[0],
            "http://localhost:8110/std_v0.7.11/rapl-sysfs/AbsPower/BPFOnly/XgboostFitTrainer_1.zip");
}

}  // namespace
}  // namespace kepler::model::estimator
