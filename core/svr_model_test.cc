#include "core/svr_model.h"

#include <cmath>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

using ::testing::DoubleNear;
using ::testing::HasSubstr;

SvrParams TwoVectors() {
  SvrParams p;
  p.n_features = 2;
  p.gamma = 0.5;
  p.intercept = 3;
  p.support_vectors = {0, 0, 1, 2};
  p.dual_coef = {2, -1};
  return p;
}

TEST(SvrModelTest, EvaluatesTheRbfExpansion) {
  auto r = MakeSvrRegressor(TwoVectors());
  ASSERT_TRUE(r.ok()) << r.status();
  std::vector<double> x = {1, 1, 0, 0}, y(2);
  (*r)->Predict(x.data(), 2, y.data());
  // |x-s0|^2 = 2, |x-s1|^2 = 1 for row 0; 0 and 5 for row 1.
  EXPECT_THAT(y[0], DoubleNear(2 * std::exp(-1.0) - std::exp(-0.5) + 3, 1e-12));
  EXPECT_THAT(y[1], DoubleNear(2 - std::exp(-2.5) + 3, 1e-12));
}

TEST(SvrModelTest, NoSupportVectorsPredictsTheIntercept) {
  SvrParams p = TwoVectors();
  p.support_vectors.clear();
  p.dual_coef.clear();
  auto r = MakeSvrRegressor(p);
  ASSERT_TRUE(r.ok());
  double x[2] = {4, 5}, y = 0;
  (*r)->Predict(x, 1, &y);
  EXPECT_EQ(y, 3.0);
}

TEST(SvrModelTest, JsonRoundTripIsExact) {
  SvrParams p = TwoVectors();
  p.gamma = 1.0 / 7.0;
  p.dual_coef[1] = -0.1 - 0.2;
  auto json = SvrToJson(p);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_THAT(*json, HasSubstr("\"kernel\":\"rbf\""));
  auto back = SvrFromJson(*json);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->gamma, p.gamma);
  EXPECT_EQ(back->intercept, p.intercept);
  EXPECT_EQ(back->support_vectors, p.support_vectors);
  EXPECT_EQ(back->dual_coef, p.dual_coef);
}

TEST(SvrModelTest, RejectsInvalidParameters) {
  SvrParams zero_gamma = TwoVectors();
  zero_gamma.gamma = 0;
  EXPECT_THAT(ValidateSvr(zero_gamma).message(), HasSubstr("gamma"));
  SvrParams ragged = TwoVectors();
  ragged.support_vectors.pop_back();
  EXPECT_FALSE(ValidateSvr(ragged).ok());
  SvrParams nan_coef = TwoVectors();
  nan_coef.dual_coef[0] = NAN;
  EXPECT_FALSE(MakeSvrRegressor(nan_coef).ok());
  EXPECT_THAT(SvrFromJson(R"({"model":"SVR","format_version":1,"kernel":"poly"})")
                  .status()
                  .message(),
              HasSubstr("rbf"));
}

}  // namespace
}  // namespace kepler::model::core
