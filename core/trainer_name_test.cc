#include "core/trainer_name.h"

#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

TEST(TrainerNameTest, TenTrainersWithRoundTripNames) {
  ASSERT_EQ(AllTrainers().size(), 10u);
  for (v1::TrainerName trainer : AllTrainers()) {
    EXPECT_EQ(ParseTrainerName(TrainerNameString(trainer)), trainer);
  }
  EXPECT_EQ(ParseTrainerName("SGDRegressor"), absl::nullopt);
}

TEST(TrainerNameTest, WeightSupportIsSgdAndCurveFits) {
  EXPECT_TRUE(IsWeightSupportTrainer("SGDRegressorTrainer"));
  EXPECT_TRUE(IsWeightSupportTrainer("LogisticRegressionTrainer"));
  EXPECT_FALSE(IsWeightSupportTrainer("LinearRegressionTrainer"));
  EXPECT_FALSE(IsWeightSupportTrainer("XgboostFitTrainer"));
  EXPECT_TRUE(IsCurveFitTrainer("ExponentialRegressionTrainer"));
  EXPECT_FALSE(IsCurveFitTrainer("SGDRegressorTrainer"));
}

TEST(TrainerNameTest, ParsesTrainerBeforeFirstAndNodeTypeAfterLastUnderscore) {
  auto parsed = ParseModelName("XgboostFitTrainer_109");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->trainer, "XgboostFitTrainer");
  EXPECT_EQ(parsed->node_type, 109);
  auto odd = ParseModelName("Foo_bar_7");
  ASSERT_TRUE(odd.has_value());
  EXPECT_EQ(odd->trainer, "Foo");
  EXPECT_EQ(odd->node_type, 7);
}

TEST(TrainerNameTest, RejectsNamesWithoutNodeType) {
  EXPECT_EQ(ParseModelName("checkpoint"), absl::nullopt);
  EXPECT_EQ(ParseModelName("SGDRegressorTrainer_x"), absl::nullopt);
  EXPECT_EQ(ParseModelName("_1"), absl::nullopt);
}

TEST(TrainerNameTest, MakesModelNames) {
  EXPECT_EQ(MakeModelName("SGDRegressorTrainer", 10), "SGDRegressorTrainer_10");
}

}  // namespace
}  // namespace kepler::model::core
