#include "core/portable_regressor.h"

#include <string>

#include "core/gradient_boosting_model.h"
#include "core/knn_model.h"
#include "core/svr_model.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

std::string GbrJson() {
  GradientBoostingParams p;
  p.n_features = 1;
  p.init = 4;
  RegressionTree leaf;
  leaf.children_left = {-1};
  leaf.children_right = {-1};
  leaf.feature = {RegressionTree::kLeafFeature};
  leaf.threshold = {-2};
  leaf.value = {10};
  p.trees = {leaf};
  return *GradientBoostingToJson(p);
}

std::string KnnJson() {
  KNeighborsParams p;
  p.n_neighbors = 1;
  p.n_features = 1;
  p.fit_x = {0};
  p.fit_y = {7};
  return *KNeighborsToJson(p);
}

std::string SvrJson() {
  SvrParams p;
  p.n_features = 1;
  p.intercept = 9;
  return *SvrToJson(p);
}

double PredictZero(const Regressor& r) {
  double x = 0, y = 0;
  r.Predict(&x, 1, &y);
  return y;
}

TEST(PortableRegressorTest, ChoosesTheFamilyFromTheModelMember) {
  auto gbr = ParsePortableRegressor(GbrJson());
  auto knn = ParsePortableRegressor(KnnJson());
  auto svr = ParsePortableRegressor(SvrJson());
  ASSERT_TRUE(gbr.ok() && knn.ok() && svr.ok());
  EXPECT_EQ((*gbr)->family(), "gradient-boosting");
  EXPECT_EQ(PredictZero(**gbr), 5.0);
  EXPECT_EQ((*knn)->family(), "k-neighbors");
  EXPECT_EQ(PredictZero(**knn), 7.0);
  EXPECT_EQ((*svr)->family(), "svr");
  EXPECT_EQ(PredictZero(**svr), 9.0);
  EXPECT_TRUE(IsPortableRegressorJson(KnnJson()));
}

TEST(PortableRegressorTest, UnknownFamiliesAreUnimplemented) {
  auto status = ParsePortableRegressor(R"({"model":"RandomForest","format_version":1})").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(status.message(), ::testing::HasSubstr("unsupported model format"));
  EXPECT_TRUE(IsPortableRegressorJson(R"({"learner":{},"version":[1,7,4]})"));  // xgboost
  EXPECT_FALSE(ParsePortableRegressor(R"({"learner":{},"version":[1,7,4]})").ok());
  EXPECT_FALSE(IsPortableRegressorJson("garbage"));
  EXPECT_EQ(ParsePortableRegressor("[1]").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kepler::model::core
