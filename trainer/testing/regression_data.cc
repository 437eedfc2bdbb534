#include "trainer/testing/regression_data.h"

#include <cmath>
#include <random>

namespace kepler::model::trainer::testing {
namespace {

double Target(Shape shape, const Eigen::RowVectorXd& x) {
  switch (shape) {
    case Shape::kStep:
      return 20.0 + (x(0) > 0.5 ? 60.0 : 0.0) + (x(1) > 0.3 ? 15.0 : 0.0);
    case Shape::kSmooth:
      return 40.0 + 50.0 * x(0) + 25.0 * std::sin(3.0 * x(1)) + 30.0 * x(2) * x(2) +
             (x.size() >= 5 ? 10.0 * x(3) * x(4) : 0.0);
    case Shape::kPower:
      return 35.0 + 90.0 * (1.0 - std::exp(-2.5 * x(0))) + 12.0 * x(1) + 8.0 * x(0) * x(2);
  }
  return 0.0;
}

}  // namespace

RegressionData MakeRegressionData(Shape shape, int rows, int features, uint64_t seed,
                                  double noise) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::normal_distribution<double> gaussian(0.0, noise > 0 ? noise : 1.0);
  RegressionData data{Eigen::MatrixXd(rows, features), Eigen::VectorXd(rows)};
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < features; ++c) data.x(r, c) = uniform(rng);
    data.y(r) = Target(shape, data.x.row(r)) + (noise > 0 ? gaussian(rng) : 0.0);
  }
  return data;
}

RegressionData Head(const RegressionData& data, int rows) {
  return {data.x.topRows(rows), data.y.head(rows)};
}

RegressionData Tail(const RegressionData& data, int rows) {
  const int rest = static_cast<int>(data.x.rows()) - rows;
  return {data.x.bottomRows(rest), data.y.tail(rest)};
}

double MeanAbsoluteError(const Eigen::VectorXd& truth, const Eigen::VectorXd& predicted) {
  return (truth - predicted).cwiseAbs().mean();
}

std::string ShapeName(Shape shape) {
  switch (shape) {
    case Shape::kStep:
      return "step";
    case Shape::kSmooth:
      return "smooth";
    case Shape::kPower:
      return "power";
  }
  return "";
}

}  // namespace kepler::model::trainer::testing
