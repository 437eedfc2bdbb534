#include "core/gradient_boosting_model.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

using ::testing::HasSubstr;

// x0 <= 0.5 ? (x1 <= 1 ? 1 : 2) : 3, in preorder like the trainer writes it.
RegressionTree Stump3() {
  RegressionTree t;
  t.children_left = {1, 2, -1, -1, -1};
  t.children_right = {4, 3, -1, -1, -1};
  t.feature = {0, 1, -2, -2, -2};
  t.threshold = {0.5, 1.0, -2, -2, -2};
  t.value = {2, 1.5, 1, 2, 3};
  return t;
}

GradientBoostingParams Params() {
  GradientBoostingParams p;
  p.n_features = 2;
  p.init = 10;
  p.learning_rate = 0.5;
  p.trees = {Stump3(), Stump3()};
  return p;
}

std::vector<double> PredictAll(const Regressor& r, const std::vector<double>& x) {
  std::vector<double> y(x.size() / r.num_features());
  r.Predict(x.data(), y.size(), y.data());
  return y;
}

TEST(GradientBoostingModelTest, PredictsInitPlusShrunkTreeSum) {
  auto r = MakeGradientBoostingRegressor(Params());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)->num_features(), 2u);
  // Rows reach leaves 1, 2 (x0 == threshold goes left) and 3.
  const std::vector<double> y = PredictAll(**r, {0.0, 0.0, 0.5, 7.0, 0.6, 0.0});
  EXPECT_THAT(y, ::testing::ElementsAre(11.0, 12.0, 13.0));
}

TEST(GradientBoostingModelTest, JsonRoundTripIsExact) {
  GradientBoostingParams p = Params();
  p.init = 0.1 + 0.2;  // not representable in short decimal
  p.trees[1].value[2] = 1.0 / 3.0;
  auto json = GradientBoostingToJson(p);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_THAT(*json, HasSubstr("\"model\":\"GradientBoostingRegressor\""));
  auto back = GradientBoostingFromJson(*json);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->init, p.init);
  EXPECT_EQ(back->trees.size(), 2u);
  EXPECT_EQ(back->trees[1].value, p.trees[1].value);
  EXPECT_EQ(back->trees[0].children_left, p.trees[0].children_left);
  EXPECT_EQ(back->trees[0].feature, p.trees[0].feature);
  EXPECT_EQ(back->trees[0].threshold, p.trees[0].threshold);
}

TEST(GradientBoostingModelTest, ZeroTreesPredictTheInit) {
  GradientBoostingParams p = Params();
  p.trees.clear();
  auto r = MakeGradientBoostingRegressor(p);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(PredictAll(**r, {5, 5}), ::testing::ElementsAre(10.0));
}

TEST(GradientBoostingModelTest, RejectsTreesThatCouldLoopOrReadOutOfRange) {
  GradientBoostingParams backwards = Params();
  backwards.trees[0].children_left[1] = 0;  // cycle
  EXPECT_THAT(ValidateGradientBoosting(backwards).message(), HasSubstr("invalid children"));

  GradientBoostingParams past_end = Params();
  past_end.trees[0].children_right[0] = 5;
  EXPECT_FALSE(ValidateGradientBoosting(past_end).ok());

  GradientBoostingParams bad_feature = Params();
  bad_feature.trees[0].feature[0] = 2;
  EXPECT_THAT(ValidateGradientBoosting(bad_feature).message(), HasSubstr("feature 2"));

  GradientBoostingParams ragged = Params();
  ragged.trees[0].threshold.pop_back();
  EXPECT_FALSE(ValidateGradientBoosting(ragged).ok());

  GradientBoostingParams empty_tree = Params();
  empty_tree.trees[0] = RegressionTree();
  EXPECT_FALSE(ValidateGradientBoosting(empty_tree).ok());

  GradientBoostingParams no_features = Params();
  no_features.n_features = 0;
  EXPECT_FALSE(MakeGradientBoostingRegressor(no_features).ok());
}

TEST(GradientBoostingModelTest, RejectsMalformedFiles) {
  EXPECT_FALSE(GradientBoostingFromJson("not json").ok());
  EXPECT_FALSE(GradientBoostingFromJson("[]").ok());
  EXPECT_FALSE(GradientBoostingFromJson(R"({"model":"SVR","format_version":1})").ok());
  EXPECT_THAT(GradientBoostingFromJson(
                  R"({"model":"GradientBoostingRegressor","format_version":2})")
                  .status()
                  .message(),
              HasSubstr("format_version 2"));
  EXPECT_THAT(GradientBoostingFromJson(R"({"model":"GradientBoostingRegressor",
      "format_version":1,"n_features":1,"init":0,"learning_rate":0.1,"trees":[{
      "children_left":[-1],"children_right":[-1],"feature":[-2],"threshold":[-2],
      "value":["x"]}]})")
                  .status()
                  .message(),
              HasSubstr("\"value\""));
  EXPECT_FALSE(GradientBoostingFromJson(R"({"model":"GradientBoostingRegressor",
      "format_version":1,"n_features":1,"init":NaN,"learning_rate":0.1,"trees":[]})")
                   .ok());
}

}  // namespace
}  // namespace kepler::model::core
