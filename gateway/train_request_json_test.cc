#include "gateway/train_request_json.h"

#include "absl/strings/str_cat.h"
#include "core/file_util.h"
#include "gtest/gtest.h"

namespace kepler::model::gateway {
namespace {

std::string Skeleton(const std::string& capture, const std::string& isolator_args = "{}") {
  return absl::StrCat(
      R"({"name": "sample_data_MinIdleIsolator", "energy_source": "rapl-sysfs", "use_vm_metrics": true,)",
      R"( "prom_response": )", capture,
      R"(, "trainer": {"abs_trainers": ["SGDRegressorTrainer", "PolynomialRegressionTrainer"],)",
      R"( "dyn_trainers": ["SGDRegressorTrainer"], "idle_prom_response": )", capture,
      R"(, "isolator": "MinIdleIsolator", "isolator_args": )", isolator_args, "}}");
}

TEST(TrainRequestJsonTest, ParsesTheRecordedSkeletonFilledWithIdleJson) {
  auto idle = core::ReadFile("testdata/prom/idle.json");
  ASSERT_TRUE(idle.ok());
  auto request = ParseTrainRequestJson(Skeleton(*idle, R"({"abs_pipeline_name": "ec2", "k": 3})"));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->name(), "sample_data_MinIdleIsolator");
  EXPECT_EQ(request->energy_source(), "rapl-sysfs");
  EXPECT_TRUE(request->use_vm_metrics());
  ASSERT_EQ(request->trainer().abs_trainers_size(), 2);
  EXPECT_EQ(request->trainer().abs_trainers(1), v1::PolynomialRegressionTrainer);
  EXPECT_EQ(request->trainer().dyn_trainers_size(), 1);
  EXPECT_EQ(request->trainer().isolator(), "MinIdleIsolator");
  EXPECT_EQ(request->trainer().isolator_args().at("abs_pipeline_name"), "ec2");
  EXPECT_EQ(request->trainer().isolator_args().at("k"), "3");
  // The captures are kept byte for byte.
  EXPECT_EQ(request->prom_response().json(), *idle);
  EXPECT_EQ(request->trainer().idle_prom_response().json(), *idle);
}

TEST(TrainRequestJsonTest, ErrorsNameTheProblem) {
  auto bad_trainer = ParseTrainRequestJson(
      R"({"name":"x","prom_response":{},"trainer":{"abs_trainers":["Nope"]}})");
  ASSERT_FALSE(bad_trainer.ok());
  EXPECT_NE(bad_trainer.status().message().find("Nope"), std::string::npos);
  auto missing = ParseTrainRequestJson(R"({"name":"x","trainer":{}})");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("prom_response"), std::string::npos);
  auto broken = ParseTrainRequestJson(R"({"name":"x","prom_response":{"a":[)");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("JSON"), std::string::npos);
}

TEST(TrainRequestJsonTest, DeepNestingIsAnErrorNotACrash) {
  std::string nested = R"({"name":"x","prom_response":)" + std::string(2 << 20, '[');
  EXPECT_FALSE(ParseTrainRequestJson(nested).ok());
}

}  // namespace
}  // namespace kepler::model::gateway
