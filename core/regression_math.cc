#include "core/regression_math.h"

#include <cmath>

namespace kepler::model::core {
namespace {

// Appends every non-decreasing index list of length `left` (starting at `first`) to `prefix`.
void AddTerms(int n_features, int first, int left, std::vector<int>* prefix,
              std::vector<std::vector<int>>* out) {
  if (left == 0) {
    out->push_back(*prefix);
    return;
  }
  for (int i = first; i < n_features; ++i) {
    prefix->push_back(i);
    AddTerms(n_features, i, left - 1, prefix, out);
    prefix->pop_back();
  }
}

}  // namespace

std::vector<std::vector<int>> PolynomialTerms(int n_features, int degree) {
  std::vector<std::vector<int>> terms;
  std::vector<int> prefix;
  for (int d = 0; d <= degree; ++d) AddTerms(n_features, 0, d, &prefix, &terms);
  return terms;
}

std::vector<double> ExpandPolynomial(const double* x, size_t rows, size_t n_features,
                                     const std::vector<std::vector<int>>& terms) {
  std::vector<double> out(rows * terms.size());
  for (size_t r = 0; r < rows; ++r) {
    const double* row = x + r * n_features;
    double* dst = out.data() + r * terms.size();
    for (size_t t = 0; t < terms.size(); ++t) {
      double v = 1.0;
      for (int column : terms[t]) v *= row[column];
      dst[t] = v;
    }
  }
  return out;
}

size_t CurveParamCount(CurveKind kind) { return kind == CurveKind::kLogistic ? 4 : 3; }

std::string CurveName(CurveKind kind) {
  switch (kind) {
    case CurveKind::kLogarithmic: return "logarithmic";
    case CurveKind::kExponential: return "exponential";
    case CurveKind::kLogistic: return "logistic";
  }
  return "";
}

absl::optional<CurveKind> ParseCurveName(absl::string_view name) {
  for (CurveKind kind : {CurveKind::kLogarithmic, CurveKind::kExponential, CurveKind::kLogistic}) {
    if (CurveName(kind) == name) return kind;
  }
  return absl::nullopt;
}

double EvaluateCurve(CurveKind kind, const double* p, double x) {
  switch (kind) {
    case CurveKind::kLogarithmic: return p[0] * std::log(p[1] * x + 1.0) + p[2];
    case CurveKind::kExponential: return p[0] * std::exp(p[1] * x) + p[2];
    case CurveKind::kLogistic: return p[0] / (1.0 + std::exp(-p[2] * (x - p[1]))) + p[3];
  }
  return x;
}

}  // namespace kepler::model::core
