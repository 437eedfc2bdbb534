#include "core/knn_model.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

using ::testing::DoubleEq;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Points 0..9 on a line, target = 10 * x.
KNeighborsParams Line(int k) {
  KNeighborsParams p;
  p.n_neighbors = k;
  p.n_features = 1;
  for (int i = 0; i < 10; ++i) {
    p.fit_x.push_back(i);
    p.fit_y.push_back(10.0 * i);
  }
  return p;
}

double PredictOne(const Regressor& r, std::vector<double> row) {
  double y = 0;
  r.Predict(row.data(), 1, &y);
  return y;
}

TEST(KNeighborsModelTest, PredictsTheMeanOfTheNearestTargets) {
  auto r = MakeKNeighborsRegressor(Line(2));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(PredictOne(**r, {3.1}), DoubleEq(35.0));   // 3 and 4
  EXPECT_THAT(PredictOne(**r, {-100}), DoubleEq(5.0));   // 0 and 1
  EXPECT_THAT(PredictOne(**r, {9.4}), DoubleEq(85.0));   // 9 and 8
}

TEST(KNeighborsModelTest, UsesEuclideanDistanceOverAllColumns) {
  KNeighborsParams p;
  p.n_neighbors = 1;
  p.n_features = 2;
  p.fit_x = {0, 0, 3, 0, 0, 2.5};
  p.fit_y = {1, 2, 3};
  auto r = MakeKNeighborsRegressor(p);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(PredictOne(**r, {2.0, 1.0}), 2.0);  // |(1,-1)| < |(2,-1.5)| < |(2,1)|
  EXPECT_EQ(PredictOne(**r, {0.5, 2.0}), 3.0);
}

TEST(KNeighborsModelTest, ManyRowsAtOnce) {
  auto r = MakeKNeighborsRegressor(Line(6));
  ASSERT_TRUE(r.ok());
  std::vector<double> x = {0, 4.5, 9}, y(3);
  (*r)->Predict(x.data(), 3, y.data());
  EXPECT_THAT(y, ElementsAre(DoubleEq(25.0), DoubleEq(45.0), DoubleEq(65.0)));
}

TEST(KNeighborsModelTest, IdenticalPointsAreFine) {
  KNeighborsParams p;
  p.n_features = 3;
  for (int i = 0; i < 50; ++i) {
    p.fit_x.insert(p.fit_x.end(), {1, 1, 1});
    p.fit_y.push_back(7);
  }
  auto r = MakeKNeighborsRegressor(p);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(PredictOne(**r, {0, 5, 1}), 7.0);
}

TEST(KNeighborsModelTest, JsonRoundTripIsExact) {
  KNeighborsParams p = Line(6);
  p.fit_x[3] = 1.0 / 3.0;
  p.fit_y[4] = 0.1 + 0.7;
  auto json = KNeighborsToJson(p);
  ASSERT_TRUE(json.ok()) << json.status();
  auto back = KNeighborsFromJson(*json);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->n_neighbors, 6);
  EXPECT_EQ(back->fit_x, p.fit_x);
  EXPECT_EQ(back->fit_y, p.fit_y);
}

TEST(KNeighborsModelTest, RejectsFewerPointsThanNeighbours) {
  KNeighborsParams p = Line(6);
  p.fit_x.resize(5);
  p.fit_y.resize(5);
  EXPECT_THAT(MakeKNeighborsRegressor(p).status().message(),
              HasSubstr("at least 6 points, has 5"));
}

TEST(KNeighborsModelTest, RejectsMalformedParameters) {
  KNeighborsParams ragged = Line(2);
  ragged.fit_x.pop_back();
  EXPECT_FALSE(ValidateKNeighbors(ragged).ok());
  KNeighborsParams zero_k = Line(0);
  EXPECT_FALSE(ValidateKNeighbors(zero_k).ok());
  EXPECT_FALSE(KNeighborsFromJson(R"({"model":"KNeighborsRegressor","format_version":1,
      "n_neighbors":1,"n_features":2,"fit_X":[[1]],"fit_y":[1]})")
                   .ok());
}

}  // namespace
}  // namespace kepler::model::core
