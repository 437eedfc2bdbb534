// The arithmetic shared by the linear and curve-fit trainers and their portable-JSON evaluators:
// polynomial feature expansion (scikit-learn's PolynomialFeatures order) and the three curves.
//
// Why: a trainer's own predictions and the estimator's evaluation of its saved model must agree
// to the last bit; both call these functions.
// How: PolynomialTerms(n, 2) lists the monomials [] (bias), [0], [1], ..., [0,0], [0,1], ...,
// [n-1,n-1] as column-index multisets; ExpandPolynomial multiplies them out per row.
// EvaluateCurve(kind, params, x) applies logarithmic a*ln(b*x+1)+c, exponential a*e^(b*x)+c, or
// logistic A/(1+e^(-k*(x-x0)))+off with params (A, x0, k, off).
//
// Thread-safety: pure functions.
#ifndef KEPLER_CORE_REGRESSION_MATH_H_
#define KEPLER_CORE_REGRESSION_MATH_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "core/weight_model.h"

namespace kepler::model::core {

// Monomials of total degree 0..degree over n features, each a non-decreasing list of column
// indices, in PolynomialFeatures(degree, include_bias=True) output order.
std::vector<std::vector<int>> PolynomialTerms(int n_features, int degree);

// Row-major `rows` x terms.size() matrix of the monomials of each row of `x` (rows x n_features,
// row-major).
std::vector<double> ExpandPolynomial(const double* x, size_t rows, size_t n_features,
                                     const std::vector<std::vector<int>>& terms);

// Number of parameters of a curve: 3, or 4 for logistic.
size_t CurveParamCount(CurveKind kind);
// "logarithmic", "exponential", "logistic" and back (nullopt for other names).
std::string CurveName(CurveKind kind);
absl::optional<CurveKind> ParseCurveName(absl::string_view name);

// The curve at `x`; `params` holds CurveParamCount(kind) values.
double EvaluateCurve(CurveKind kind, const double* params, double x);

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_REGRESSION_MATH_H_
