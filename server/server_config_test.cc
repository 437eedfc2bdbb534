#include "server/server_config.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::server {
namespace {

using ::testing::ElementsAre;

TEST(ServerConfigTest, DefaultsFollowTheContract) {
  ServerConfig config = ServerConfigFrom(core::Config::FromMap({{"MNT_PATH", "/nonexistent/mnt"}}));
  EXPECT_EQ(config.model_path, "/tmp/model-server/mnt/models");
  EXPECT_EQ(config.http_port, 8100);
  EXPECT_EQ(config.error_key, "mae");
  EXPECT_THAT(config.initial_pipeline_urls,
              ElementsAre(::testing::EndsWith("/v0.7/ec2-0.7.11.zip"),
                          ::testing::EndsWith("/v0.7/specpower-0.7.11.zip")));
}

TEST(ServerConfigTest, KeysOverrideDefaults) {
  ServerConfig config = ServerConfigFrom(core::Config::FromMap({{"MODEL_PATH", "/models"},
                                                     {"MODEL_TOPURL", "http://localhost:8110"},
                                                     {"ERROR_KEY", "mape"},
                                                     {"MODEL_SERVER_PORT", "9100"}}));
  EXPECT_EQ(config.model_path, "/models");
  EXPECT_THAT(config.initial_pipeline_urls, ElementsAre("http://localhost:8110/std_v0.7.11.zip"));
  EXPECT_EQ(config.error_key, "mape");
  EXPECT_EQ(config.http_port, 9100);
  ServerConfig listed = ServerConfigFrom(
      core::Config::FromMap({{"INITIAL_PIPELINE_URL", "file:///a/x.zip, http://h/y.zip"}}));
  EXPECT_THAT(listed.initial_pipeline_urls, ElementsAre("file:///a/x.zip", "http://h/y.zip"));
}

}  // namespace
}  // namespace kepler::model::server
