#include "trainer/online_config.h"

#include "gtest/gtest.h"

namespace kepler::model::trainer {
namespace {

TEST(OnlineConfigTest, DefaultsFollowTheContract) {
  auto config = OnlineConfigFrom(core::Config::FromMap({}));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->query.server, "http://localhost:9090");
  EXPECT_EQ(config->query.interval, absl::Seconds(300));
  EXPECT_EQ(config->query.step, absl::Seconds(3));
  EXPECT_FALSE(config->query.verify_tls) << "PROM_SSL_DISABLE defaults to true";
  EXPECT_TRUE(config->query.extra_metrics.empty());
  EXPECT_EQ(config->sampling_interval, absl::Seconds(300)) << "SAMPLING_INTERVAL = PROM_QUERY_INTERVAL";
}

TEST(OnlineConfigTest, KeysOverrideDefaults) {
  auto config = OnlineConfigFrom(core::Config::FromMap({{"PROM_SERVER", "https://prom:9091"},
                                                        {"PROM_QUERY_INTERVAL", "20"},
                                                        {"PROM_QUERY_STEP", "0.5"},
                                                        {"PROM_SSL_DISABLE", "True"},
                                                        {"PROM_THIRDPARTY_METRICS", "a_total, b"}}));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->query.server, "https://prom:9091");
  EXPECT_EQ(config->query.interval, absl::Seconds(20));
  EXPECT_EQ(config->query.step, absl::Milliseconds(500));
  EXPECT_TRUE(config->query.verify_tls) << "only the exact string \"true\" disables verification";
  EXPECT_EQ(config->query.extra_metrics, (std::vector<std::string>{"a_total", "b"}));
  EXPECT_EQ(config->sampling_interval, absl::Seconds(20));
  auto sampled = OnlineConfigFrom(core::Config::FromMap({{"SAMPLING_INTERVAL", "7"}}));
  ASSERT_TRUE(sampled.ok());
  EXPECT_EQ(sampled->sampling_interval, absl::Seconds(7));
}

TEST(OnlineConfigTest, NonPositiveOrUnparsableDurationsNameTheKey) {
  for (const char* key : {"PROM_QUERY_INTERVAL", "PROM_QUERY_STEP", "SAMPLING_INTERVAL"}) {
    for (const char* value : {"0", "-3", "5m", "nan"}) {
      auto config = OnlineConfigFrom(core::Config::FromMap({{key, value}}));
      EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument) << key << "=" << value;
      EXPECT_NE(config.status().message().find(key), absl::string_view::npos);
    }
  }
}

}  // namespace
}  // namespace kepler::model::trainer
