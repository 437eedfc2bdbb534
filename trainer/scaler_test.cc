#include "trainer/scaler.h"

#include "gtest/gtest.h"

namespace kepler::model::trainer {
namespace {

TEST(MaxAbsScalerTest, ScaleIsMaxAbsoluteValueOrOneForZeroColumns) {
  Eigen::MatrixXd x(3, 3);
  x << 1, -8, 0,
       4, 2, 0,
       -2, 3, 0;
  auto scaler = MaxAbsScaler::Fit(x, {"a", "b", "c"});
  ASSERT_TRUE(scaler.ok()) << scaler.status();
  EXPECT_EQ(scaler->scale(), (std::vector<double>{4, 8, 1}));
  const Eigen::MatrixXd scaled = scaler->Transform(x);
  EXPECT_DOUBLE_EQ(scaled(0, 1), -1.0);
  EXPECT_DOUBLE_EQ(scaled(1, 0), 1.0);
  EXPECT_DOUBLE_EQ(scaled(2, 0), -0.5);
  EXPECT_EQ(scaled.col(2).norm(), 0.0);
}

TEST(MaxAbsScalerTest, JsonRoundTripKeepsFeaturesAndExactScales) {
  Eigen::MatrixXd x(2, 2);
  x << 0.1, 660.9333333333334, 0.3, 3.066666666666667;
  auto scaler = MaxAbsScaler::Fit(x, {"bpf_cpu_time_ms", "bpf_page_cache_hit"});
  ASSERT_TRUE(scaler.ok());
  auto json = scaler->ToJson();
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_NE(json->find("\"type\": \"MaxAbsScaler\""), std::string::npos) << *json;
  auto back = MaxAbsScaler::FromJson(*json);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->features(), scaler->features());
  EXPECT_EQ(back->scale(), scaler->scale());
}

TEST(MaxAbsScalerTest, RejectsBadInput) {
  Eigen::MatrixXd x = Eigen::MatrixXd::Ones(2, 2);
  EXPECT_FALSE(MaxAbsScaler::Fit(x, {"only_one"}).ok());
  x(0, 0) = std::numeric_limits<double>::infinity();
  EXPECT_FALSE(MaxAbsScaler::Fit(x, {"a", "b"}).ok());
  EXPECT_FALSE(MaxAbsScaler::FromJson(R"({"features": ["a"], "scale": [0]})").ok());
  EXPECT_FALSE(MaxAbsScaler::FromJson(R"({"features": ["a", "b"], "scale": [1]})").ok());
  EXPECT_FALSE(MaxAbsScaler::FromJson("[1]").ok());
}

}  // namespace
}  // namespace kepler::model::trainer
