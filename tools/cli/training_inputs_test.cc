#include "tools/cli/training_inputs.h"

#include "gtest/gtest.h"

namespace kepler::model::tools::cli {
namespace {

TEST(TrainingInputsTest, TrainerNamesAcceptShortNamesAndKeywords) {
  auto trainers = ParseTrainers({"sgdregressor", "XgboostFitTrainer", "SGDRegressorTrainer"});
  ASSERT_TRUE(trainers.ok()) << trainers.status();
  EXPECT_EQ(*trainers,
            (std::vector<v1::TrainerName>{v1::SGDRegressorTrainer, v1::XgboostFitTrainer}));
  EXPECT_EQ(ParseTrainers({"all"})->size(), 10u);
  EXPECT_TRUE(ParseTrainers({"none"})->empty());
  auto bad = ParseTrainers({"Magic"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("trainer 'Magic' is unknown; known: ", 0), 0u);
}

TEST(TrainingInputsTest, FeatureGroupsSourcesAndOutputTypes) {
  EXPECT_EQ(*ParseFeatureGroups({"bpfonly", "BPFOnly", "Basic"}),
            (std::vector<v1::FeatureGroup>{v1::BPFOnly, v1::Basic}));
  EXPECT_TRUE(ParseFeatureGroups({"all"})->empty());
  EXPECT_FALSE(ParseFeatureGroups({"Everything"}).ok());
  EXPECT_EQ(*ParseEnergySources({"intel_rapl", "acpi"}),
            (std::vector<std::string>{"rapl-sysfs", "acpi"}));
  EXPECT_FALSE(ParseEnergySources({"solar"}).ok());
  EXPECT_FALSE(ParseEnergySources({}).ok());
  EXPECT_EQ(*ParseOutputTypeName("dynpower"), v1::DynPower);
  EXPECT_FALSE(ParseOutputTypeName("Watts").ok());
}

TEST(TrainingInputsTest, IsolatorInputsAreCheckedBeforeAnyFileIsRead) {
  IsolatorInputs inputs;
  EXPECT_TRUE(ValidateIsolatorInputs(inputs).ok());
  inputs.name = "profile";
  EXPECT_EQ(ValidateIsolatorInputs(inputs).message(),
            "--isolator=profile needs --idle=<idle capture file>");
  inputs.name = "TrainIsolator";
  EXPECT_EQ(ValidateIsolatorInputs(inputs).message(),
            "--isolator=trainer needs --abs-pipeline=<pipeline folder>");
  inputs = {};
  inputs.args = {"target_hints"};
  EXPECT_FALSE(ValidateIsolatorInputs(inputs).ok());
  inputs.name = "nope";
  EXPECT_FALSE(ValidateIsolatorInputs(inputs).ok());
}

TEST(TrainingInputsTest, BuildsTheProfileIsolatorFromTheIdleCapture) {
  IsolatorInputs inputs;
  inputs.name = "ProfileBackgroundIsolator";
  inputs.idle_path = "testdata/prom/idle.json";
  auto isolator = MakeCliIsolator(inputs, "rapl-sysfs");
  ASSERT_TRUE(isolator.ok()) << isolator.status();
  EXPECT_EQ(isolator->name, "profile");
  EXPECT_EQ(isolator->isolator->name(), "profile");
  EXPECT_NE(isolator->idle, nullptr);
}

TEST(TrainingInputsTest, LoadsCapturesAndTheirTimeRange) {
  auto capture = LoadCaptures({"testdata/prom/idle.json"});
  ASSERT_TRUE(capture.ok()) << capture.status();
  auto range = CaptureTimeRange(*capture);
  ASSERT_TRUE(range.has_value());
  EXPECT_LT(range->first, range->second);
  auto missing = LoadCaptures({"testdata/prom/none.json"});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(LoadCaptures({}).ok());
}

}  // namespace
}  // namespace kepler::model::tools::cli
