// Pins the linear and curve-fit families to scikit-learn 1.2.1's and SciPy 1.10.1's answers on a
// small fixed data set; the constants are printed by
// `/usr/bin/python3 tools/parity/linear_parity.py --golden`.
#include <cmath>

#include "core/regression_math.h"
#include "gtest/gtest.h"
#include "trainer/curve_fit_trainer.h"
#include "trainer/linear_regression_trainer.h"
#include "trainer/polynomial_regression_trainer.h"

namespace kepler::model::trainer {
namespace {

// Row i: ((i*5+1)%64, (i*11+3)%64, (i*23+7)%64) / 64; y = 20 + 30·x0 − 4·x1 + 10·sin(4·x2)
// + 25·ln(3·x0 + 1).
void GoldenData(Eigen::MatrixXd* x, Eigen::VectorXd* y) {
  x->resize(40, 3);
  y->resize(40);
  for (int i = 0; i < 40; ++i) {
    (*x)(i, 0) = ((i * 5 + 1) % 64) / 64.0;
    (*x)(i, 1) = ((i * 11 + 3) % 64) / 64.0;
    (*x)(i, 2) = ((i * 23 + 7) % 64) / 64.0;
    (*y)[i] = 20 + 30 * (*x)(i, 0) - 4 * (*x)(i, 1) + 10 * std::sin(4 * (*x)(i, 2)) +
              25 * std::log(3 * (*x)(i, 0) + 1);
  }
}

void ExpectNearAll(const std::vector<double>& got, const std::vector<double>& want, double tol) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_NEAR(got[i], want[i], tol * std::max(1.0, std::abs(want[i]))) << "index " << i;
  }
}

TEST(LinearGoldenTest, NonNegativeLeastSquaresMatchesScikitLearn) {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  GoldenData(&x, &y);
  LinearRegressionTrainer trainer({});
  ASSERT_TRUE(trainer.Fit(x, y).ok());
  ExpectNearAll(trainer.fitted()->coef, {63.21290301815724, 0.0, 0.0}, 1e-10);
  EXPECT_NEAR(trainer.fitted()->intercept, 26.735782223956768, 1e-10);
}

TEST(LinearGoldenTest, PolynomialLeastSquaresMatchesScikitLearn) {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  GoldenData(&x, &y);
  PolynomialRegressionTrainer trainer({});
  ASSERT_TRUE(trainer.Fit(x, y).ok());
  ExpectNearAll(trainer.fitted()->coef,
                {0.0, 88.75076619580427, -2.3047605143867855, 42.38161097504937,
                 -25.339811108954713, -2.2770099773264434, 0.7510784680146791,
                 -0.9895450929382825, 0.7368648394630171, -54.22308171983403},
                1e-8);
  EXPECT_NEAR(trainer.fitted()->intercept, 20.96984870191593, 1e-8);
}

// Curve fits: the logarithmic optimum is well defined, so its parameters must agree; the
// exponential and logistic optima of this data are flat valleys (huge, cancelling parameters), so
// there only the fitted curve must agree with SciPy's.
struct GoldenCurve {
  core::CurveKind kind;
  std::vector<double> scipy_params;
  bool compare_params;
};

TEST(LinearGoldenTest, CurveFitsMatchScipy) {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  GoldenData(&x, &y);
  const GoldenCurve cases[] = {
      {core::CurveKind::kLogarithmic, {159.81552090718134, 0.4865773046291275, 24.633591620389662},
       true},
      {core::CurveKind::kExponential,
       {162508.58745074223, 0.00038890621091584816, -162481.84967509162}, false},
      {core::CurveKind::kLogistic,
       {17561.424229331325, -11.349193418079372, 0.39560652359299064, -17341.764017449885},
       false},
  };
  for (const GoldenCurve& c : cases) {
    SCOPED_TRACE(core::CurveName(c.kind));
    CurveFitTrainer trainer(c.kind, TrainerContext{0, 0});
    const absl::Status fit = trainer.Fit(x, y);
    ASSERT_TRUE(fit.ok()) << fit;
    if (c.compare_params) ExpectNearAll(trainer.fitted()->params, c.scipy_params, 1e-6);
    const Eigen::VectorXd ours = trainer.Predict(x);
    for (int i = 0; i < 40; ++i) {
      const double scipy = core::EvaluateCurve(c.kind, c.scipy_params.data(), x(i, 0));
      EXPECT_NEAR(ours[i], scipy, 0.01) << "row " << i;
    }
  }
}

}  // namespace
}  // namespace kepler::model::trainer
