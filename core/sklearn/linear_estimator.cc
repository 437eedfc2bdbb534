#include "core/sklearn/linear_estimator.h"

#include <cmath>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/linear_model.h"
#include "core/status_macros.h"

namespace kepler::model::core::sklearn {
namespace {

using pickle::PickleValue;
using Kind = PickleValue::Kind;

// Appends every index list of `length` columns out of n, non-decreasing (or strictly increasing
// for interaction-only), in lexicographic order: itertools.combinations(_with_replacement).
void AddCombinations(int n, int length, bool strictly, std::vector<int>* prefix,
                     std::vector<std::vector<int>>* out) {
  if (static_cast<int>(prefix->size()) == length) {
    out->push_back(*prefix);
    return;
  }
  const int first = prefix->empty() ? 0 : prefix->back() + (strictly ? 1 : 0);
  for (int i = first; i < n; ++i) {
    prefix->push_back(i);
    AddCombinations(n, length, strictly, prefix, out);
    prefix->pop_back();
  }
}

// Number of combinations, saturating at `cap`.
uint64_t CountCombinations(int n, int length, bool strictly, uint64_t cap) {
  // C(n, length) or C(n + length - 1, length), computed incrementally.
  const uint64_t top = strictly ? n : n + length - 1;
  if (length > static_cast<int>(top)) return 0;
  uint64_t count = 1;
  for (int i = 1; i <= length; ++i) {
    count = count * (top - length + i) / i;
    if (count > cap) return cap + 1;
  }
  return count;
}

class PolynomialRegressor final : public Regressor {
 public:
  PolynomialRegressor(PolynomialState poly, LinearState linear)
      : poly_(std::move(poly)), linear_(std::move(linear)) {}

  size_t num_features() const override { return poly_.n_features_in; }
  absl::string_view family() const override { return "polynomial"; }

  void Predict(const double* x, size_t rows, double* out) const override {
    const size_t width = poly_.n_features_in;
    for (size_t r = 0; r < rows; ++r) {
      const double* row = x + r * width;
      double sum = 0;
      for (size_t t = 0; t < poly_.terms.size(); ++t) sum += linear_.coef[t] * Term(row, t);
      out[r] = sum + linear_.intercept;
    }
  }

 private:
  // scikit-learn builds degree d from degree d-1 columns times one more input on the left.
  double Term(const double* row, size_t t) const {
    const std::vector<int>& columns = poly_.terms[t];
    if (columns.empty()) return 1.0;
    double value = row[columns.back()];
    for (size_t i = columns.size() - 1; i-- > 0;) value = row[columns[i]] * value;
    return value;
  }

  const PolynomialState poly_;
  const LinearState linear_;
};

absl::StatusOr<CurveKind> CurveOf(const SklearnObject& curve) {
  ASSIGN_OR_RETURN(const PickleValue* func, curve.Get("fit_func"));
  if (func->kind != Kind::kGlobal) return curve.Invalid("fit_func", "expected a function");
  if (absl::EndsWith(func->text, ".main.log_func")) return CurveKind::kLogarithmic;
  if (absl::EndsWith(func->text, ".main.expo_func")) return CurveKind::kExponential;
  if (absl::EndsWith(func->text, ".main.logi_func")) return CurveKind::kLogistic;
  return absl::UnimplementedError(absl::StrCat("CurveFitModel: fit_func ", func->text));
}

}  // namespace

bool IsLinearClass(absl::string_view class_name) {
  return class_name == kLinearRegressionClass || class_name == kSgdRegressorClass;
}

bool IsCurveFitClass(absl::string_view class_name) {
  return absl::EndsWith(class_name, "trainer.curvefit.CurveFitModel");
}

absl::StatusOr<LinearState> ReadLinear(const SklearnObject& model) {
  if (!IsLinearClass(model.class_name())) {
    return absl::InvalidArgumentError(absl::StrCat(model.class_name(), " is not a linear model"));
  }
  LinearState state;
  std::vector<int64_t> shape;
  ASSIGN_OR_RETURN(state.coef, model.Doubles("coef_", -1, &shape));
  if (shape.empty() || shape.size() > 2 || (shape.size() == 2 && shape[0] != 1)) {
    return absl::UnimplementedError(absl::StrCat(model.short_name(), ": several outputs"));
  }
  if (state.coef.empty()) return model.Invalid("coef_", "no coefficients");
  ASSIGN_OR_RETURN(const PickleValue* intercept, model.Get("intercept_"));
  if (auto number = pickle::NumberOf(*intercept); number.ok()) {
    state.intercept = *number;
  } else {
    ASSIGN_OR_RETURN(std::vector<double> values, model.Doubles("intercept_", 1));
    if (values.size() != 1) return model.Invalid("intercept_", "expected one value");
    state.intercept = values[0];
  }
  return state;
}

absl::StatusOr<PolynomialState> ReadPolynomialFeatures(const SklearnObject& poly) {
  if (!absl::EndsWith(poly.class_name(), ".PolynomialFeatures")) {
    return absl::InvalidArgumentError(absl::StrCat(poly.class_name(), " is not PolynomialFeatures"));
  }
  PolynomialState state;
  ASSIGN_OR_RETURN(int64_t n_in, poly.Integer("n_features_in_"));
  if (n_in < 1 || n_in > 256) return poly.Invalid("n_features_in_", "out of range");
  state.n_features_in = static_cast<int>(n_in);
  int64_t min_degree = 0, max_degree = 0;
  if (poly.Find("_max_degree") != nullptr) {
    ASSIGN_OR_RETURN(min_degree, poly.Integer("_min_degree"));
    ASSIGN_OR_RETURN(max_degree, poly.Integer("_max_degree"));
  } else {
    ASSIGN_OR_RETURN(max_degree, poly.Integer("degree"));
  }
  if (min_degree < 0 || max_degree < min_degree || max_degree > 8) {
    return poly.Invalid("degree", "out of range");
  }
  ASSIGN_OR_RETURN(bool interaction_only, poly.Bool("interaction_only"));
  ASSIGN_OR_RETURN(bool include_bias, poly.Bool("include_bias"));
  constexpr uint64_t kMaxTerms = 100'000;
  uint64_t total = include_bias ? 1 : 0;
  for (int64_t d = std::max<int64_t>(1, min_degree); d <= max_degree; ++d) {
    total += CountCombinations(state.n_features_in, d, interaction_only, kMaxTerms);
  }
  if (total > kMaxTerms) return poly.Invalid("degree", "too many output features");
  std::vector<int> prefix;
  if (include_bias) state.terms.emplace_back();
  for (int64_t d = std::max<int64_t>(1, min_degree); d <= max_degree; ++d) {
    AddCombinations(state.n_features_in, d, interaction_only, &prefix, &state.terms);
  }
  if (const PickleValue* n_out = poly.Find("n_output_features_")) {
    ASSIGN_OR_RETURN(int64_t expected, pickle::IntegerOf(*n_out));
    if (expected != static_cast<int64_t>(state.terms.size())) {
      return poly.Invalid("n_output_features_",
                          absl::StrCat(expected, " outputs, the settings give ", state.terms.size()));
    }
  }
  return state;
}

absl::StatusOr<CurveFitState> ReadCurveFit(const SklearnObject& curve) {
  if (!IsCurveFitClass(curve.class_name())) {
    return absl::InvalidArgumentError(absl::StrCat(curve.class_name(), " is not a CurveFitModel"));
  }
  CurveFitState state;
  ASSIGN_OR_RETURN(state.curve, CurveOf(curve));
  ASSIGN_OR_RETURN(const PickleValue* popt, curve.Get("popt"));
  if (popt->kind == Kind::kNone) return curve.Invalid("popt", "model was never fitted");
  ASSIGN_OR_RETURN(state.popt, curve.Doubles("popt", 1));
  ASSIGN_OR_RETURN(int64_t index, curve.Integer("feature_index"));
  if (index < 0 || index > 1 << 16) return curve.Invalid("feature_index", "out of range");
  state.feature_index = static_cast<int>(index);
  return state;
}

absl::StatusOr<std::shared_ptr<const Regressor>> MakeLinearRegressor(LinearState linear) {
  LinearFamilyParams params;
  params.model = kLinearRegressionModelName;
  params.n_features = static_cast<int>(linear.coef.size());
  params.coef = std::move(linear.coef);
  params.intercept = linear.intercept;
  return MakeLinearFamilyRegressor(std::move(params));
}

absl::StatusOr<std::shared_ptr<const Regressor>> MakePolynomialRegressor(PolynomialState poly,
                                                                         LinearState linear) {
  if (linear.coef.size() != poly.terms.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("polynomial model: ", linear.coef.size(), " coefficients for ",
                     poly.terms.size(), " PolynomialFeatures outputs"));
  }
  bool finite = std::isfinite(linear.intercept);
  for (double c : linear.coef) finite &= std::isfinite(c);
  if (!finite) return absl::InvalidArgumentError("polynomial model: non-finite coefficients");
  return std::shared_ptr<const Regressor>(
      new PolynomialRegressor(std::move(poly), std::move(linear)));
}

absl::StatusOr<std::shared_ptr<const Regressor>> MakeCurveFitRegressor(CurveFitState curve,
                                                                       int n_features) {
  LinearFamilyParams params;
  params.model = kCurveFitModelName;
  params.n_features = n_features;
  params.curve = curve.curve;
  params.feature_index = curve.feature_index;
  params.params = std::move(curve.popt);
  return MakeLinearFamilyRegressor(std::move(params));
}

}  // namespace kepler::model::core::sklearn
