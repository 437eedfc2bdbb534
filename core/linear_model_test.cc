#include "core/linear_model.h"

#include "core/regression_math.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

TEST(PolynomialTermsTest, ScikitLearnOrderWithBias) {
  const std::vector<std::vector<int>> terms = PolynomialTerms(3, 2);
  const std::vector<std::vector<int>> expected = {
      {}, {0}, {1}, {2}, {0, 0}, {0, 1}, {0, 2}, {1, 1}, {1, 2}, {2, 2}};
  EXPECT_EQ(terms, expected);
  const double x[] = {2, 3, 5};
  const std::vector<double> row = ExpandPolynomial(x, 1, 3, terms);
  EXPECT_EQ(row, (std::vector<double>{1, 2, 3, 5, 4, 6, 10, 9, 15, 25}));
}

TEST(EvaluateCurveTest, TheThreeCurves) {
  const double log_p[] = {2, 3, 1};
  EXPECT_DOUBLE_EQ(EvaluateCurve(CurveKind::kLogarithmic, log_p, 1.0), 2 * std::log(4.0) + 1);
  const double exp_p[] = {2, 0.5, 1};
  EXPECT_DOUBLE_EQ(EvaluateCurve(CurveKind::kExponential, exp_p, 2.0), 2 * std::exp(1.0) + 1);
  const double logistic_p[] = {10, 0.5, 4, 3};  // A, x0, k, off
  EXPECT_DOUBLE_EQ(EvaluateCurve(CurveKind::kLogistic, logistic_p, 0.5), 8.0);
  EXPECT_EQ(ParseCurveName("logistic"), CurveKind::kLogistic);
  EXPECT_EQ(ParseCurveName("sigmoid"), absl::nullopt);
}

TEST(LinearFamilyTest, JsonRoundTripPredictsIdentically) {
  LinearFamilyParams linear{kSgdRegressorModelName, 2, {0.1, 1e-17}, 76.90168899374785};
  LinearFamilyParams poly{kPolynomialRegressionModelName, 2, {0, 1, 2, 3, 4, 5}, -1.5};
  LinearFamilyParams curve;
  curve.model = kCurveFitModelName;
  curve.n_features = 2;
  curve.curve = CurveKind::kLogistic;
  curve.feature_index = 1;
  curve.params = {80, 0.4, 10, 20};
  const double x[] = {0.25, 0.75, 1.0, 0.5};
  for (const LinearFamilyParams& p : {linear, poly, curve}) {
    auto json = LinearFamilyToJson(p);
    ASSERT_TRUE(json.ok()) << json.status();
    auto direct = MakeLinearFamilyRegressor(p);
    auto parsed = ParseLinearFamilyRegressor(*json);
    ASSERT_TRUE(direct.ok() && parsed.ok()) << *json;
    double a[2], b[2];
    (*direct)->Predict(x, 2, a);
    (*parsed)->Predict(x, 2, b);
    EXPECT_EQ(a[0], b[0]) << *json;
    EXPECT_EQ(a[1], b[1]) << *json;
    EXPECT_EQ((*parsed)->family(), p.model);
  }
}

TEST(LinearFamilyTest, EvaluatesTheDocumentedFormulas) {
  auto linear = ParseLinearFamilyRegressor(
      R"({"model": "LinearRegression", "n_features": 2, "coef": [2, 0.5], "intercept": 3})");
  auto poly = ParseLinearFamilyRegressor(
      R"({"model": "PolynomialRegression", "n_features": 1, "degree": 2,
          "coef": [0, 2, 3], "intercept": 1})");
  auto curve = ParseLinearFamilyRegressor(
      R"({"model": "CurveFit", "n_features": 2, "curve": "exponential", "feature_index": 0,
          "params": [2, 1, 5]})");
  ASSERT_TRUE(linear.ok() && poly.ok() && curve.ok());
  const double x[] = {1.0, 4.0};
  double y;
  (*linear)->Predict(x, 1, &y);
  EXPECT_EQ(y, 3 + 2 + 2);
  (*poly)->Predict(x, 1, &y);
  EXPECT_EQ(y, 1 + 2 + 3);
  (*curve)->Predict(x, 1, &y);
  EXPECT_DOUBLE_EQ(y, 2 * std::exp(1.0) + 5);
}

TEST(LinearFamilyTest, RejectsInconsistentDocuments) {
  for (const char* bad : {
           R"({"model": "LinearRegression", "n_features": 2, "coef": [1], "intercept": 0})",
           R"({"model": "LinearRegression", "n_features": 0, "coef": [], "intercept": 0})",
           R"({"model": "SGDRegressor", "n_features": 1, "coef": [1]})",
           R"({"model": "PolynomialRegression", "n_features": 1, "degree": 9, "coef": [1],
               "intercept": 0})",
           R"({"model": "CurveFit", "n_features": 1, "curve": "logistic", "feature_index": 0,
               "params": [1, 2, 3]})",
           R"({"model": "CurveFit", "n_features": 1, "curve": "logarithmic", "feature_index": 1,
               "params": [1, 2, 3]})",
           R"({"model": "CurveFit", "n_features": 1, "curve": "cubic", "feature_index": 0,
               "params": [1, 2, 3]})",
           R"({"model": "KNeighborsRegressor"})", "[]", "not json"}) {
    EXPECT_FALSE(ParseLinearFamilyRegressor(bad).ok()) << bad;
  }
  EXPECT_FALSE(LinearFamilyToJson(LinearFamilyParams{"LinearRegression", 1, {NAN}, 0}).ok());
}

}  // namespace
}  // namespace kepler::model::core
