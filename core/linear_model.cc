#include "core/linear_model.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/json_fields.h"
#include "core/json_util.h"
#include "core/regression_math.h"
#include "core/status_macros.h"

namespace kepler::model::core {
namespace {

absl::Status Invalid(const LinearFamilyParams& p, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(p.model, " model: ", what));
}

bool AllFinite(const std::vector<double>& values) {
  for (double v : values) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

bool IsCurveFit(const LinearFamilyParams& p) { return p.model == kCurveFitModelName; }

size_t ExpectedCoefficients(const LinearFamilyParams& p) {
  if (p.model == kPolynomialRegressionModelName) return PolynomialTerms(p.n_features, p.degree).size();
  return static_cast<size_t>(p.n_features);
}

// intercept + coef . x, summed in column order (as the trainers' predictions).
double Affine(const std::vector<double>& coef, double intercept, const double* x) {
  double sum = 0;
  for (size_t j = 0; j < coef.size(); ++j) sum += coef[j] * x[j];
  return sum + intercept;
}

class LinearFamilyRegressor final : public Regressor {
 public:
  explicit LinearFamilyRegressor(LinearFamilyParams params)
      : p_(std::move(params)),
        terms_(p_.model == kPolynomialRegressionModelName
                   ? PolynomialTerms(p_.n_features, p_.degree)
                   : std::vector<std::vector<int>>{}) {}

  size_t num_features() const override { return static_cast<size_t>(p_.n_features); }
  absl::string_view family() const override { return p_.model; }

  void Predict(const double* x, size_t rows, double* out) const override {
    const size_t n = num_features();
    if (IsCurveFit(p_)) {
      for (size_t r = 0; r < rows; ++r) {
        out[r] = EvaluateCurve(p_.curve, p_.params.data(), x[r * n + p_.feature_index]);
      }
    } else if (!terms_.empty()) {
      const std::vector<double> poly = ExpandPolynomial(x, rows, n, terms_);
      for (size_t r = 0; r < rows; ++r) {
        out[r] = Affine(p_.coef, p_.intercept, &poly[r * terms_.size()]);
      }
    } else {
      for (size_t r = 0; r < rows; ++r) out[r] = Affine(p_.coef, p_.intercept, x + r * n);
    }
  }

 private:
  const LinearFamilyParams p_;
  const std::vector<std::vector<int>> terms_;  // polynomial only
};

absl::Status ReadCurve(const rapidjson::Value& doc, LinearFamilyParams* p) {
  ASSIGN_OR_RETURN(std::string curve, GetString(doc, "curve"));
  const absl::optional<CurveKind> kind = ParseCurveName(curve);
  if (!kind) return Invalid(*p, absl::StrCat("unknown curve '", curve, "'"));
  p->curve = *kind;
  ASSIGN_OR_RETURN(int64_t feature, GetInteger(doc, "feature_index"));
  p->feature_index = static_cast<int>(feature);
  ASSIGN_OR_RETURN(p->params, GetNumberList(doc, "params"));
  return absl::OkStatus();
}

absl::Status ReadAffine(const rapidjson::Value& doc, LinearFamilyParams* p) {
  ASSIGN_OR_RETURN(p->coef, GetNumberList(doc, "coef"));
  ASSIGN_OR_RETURN(p->intercept, GetNumber(doc, "intercept"));
  if (p->model == kPolynomialRegressionModelName) {
    ASSIGN_OR_RETURN(int64_t degree, GetInteger(doc, "degree"));
    p->degree = static_cast<int>(degree);
  }
  return absl::OkStatus();
}

}  // namespace

bool IsLinearFamilyModel(absl::string_view model) {
  return model == kLinearRegressionModelName || model == kSgdRegressorModelName ||
         model == kPolynomialRegressionModelName || model == kCurveFitModelName;
}

absl::Status ValidateLinearFamily(const LinearFamilyParams& p) {
  if (!IsLinearFamilyModel(p.model)) return Invalid(p, "unknown linear-family model");
  if (p.n_features < 1) return Invalid(p, "n_features must be >= 1");
  if (IsCurveFit(p)) {
    if (p.feature_index < 0 || p.feature_index >= p.n_features) {
      return Invalid(p, absl::StrCat("feature_index ", p.feature_index, " outside ",
                                     p.n_features, " features"));
    }
    if (p.params.size() != CurveParamCount(p.curve) || !AllFinite(p.params)) {
      return Invalid(p, absl::StrCat("expected ", CurveParamCount(p.curve),
                                     " finite params for the ", CurveName(p.curve), " curve"));
    }
    return absl::OkStatus();
  }
  if (p.model == kPolynomialRegressionModelName &&
      (p.degree < 1 || p.degree > 4 || p.n_features > 64)) {
    return Invalid(p, absl::StrCat("degree ", p.degree, " over ", p.n_features,
                                   " features is not in 1..4 over at most 64"));
  }
  if (p.coef.size() != ExpectedCoefficients(p)) {
    return Invalid(p, absl::StrCat(p.coef.size(), " coefficients, expected ",
                                   ExpectedCoefficients(p)));
  }
  if (!AllFinite(p.coef) || !std::isfinite(p.intercept)) return Invalid(p, "non-finite weights");
  return absl::OkStatus();
}

absl::StatusOr<std::string> LinearFamilyToJson(const LinearFamilyParams& p) {
  RETURN_IF_ERROR(ValidateLinearFamily(p));
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  AddString(&doc, "model", p.model, a);
  AddInteger(&doc, "n_features", p.n_features, a);
  if (IsCurveFit(p)) {
    AddString(&doc, "curve", CurveName(p.curve), a);
    AddInteger(&doc, "feature_index", p.feature_index, a);
    AddNumberList(&doc, "params", p.params, a);
  } else {
    if (p.model == kPolynomialRegressionModelName) AddInteger(&doc, "degree", p.degree, a);
    AddNumberList(&doc, "coef", p.coef, a);
    AddNumber(&doc, "intercept", p.intercept, a);
  }
  return WriteJson(doc, JsonWriteOptions::PythonDumps(false));
}

absl::StatusOr<LinearFamilyParams> LinearFamilyFromJson(absl::string_view json) {
  ASSIGN_OR_RETURN(rapidjson::Document doc, ParseJson(json));
  if (!doc.IsObject()) return absl::InvalidArgumentError("model file is not a JSON object");
  LinearFamilyParams p;
  ASSIGN_OR_RETURN(p.model, GetString(doc, "model"));
  if (!IsLinearFamilyModel(p.model)) return Invalid(p, "unknown linear-family model");
  ASSIGN_OR_RETURN(int64_t n_features, GetInteger(doc, "n_features"));
  if (n_features < 1 || n_features > 100000) return Invalid(p, "n_features out of range");
  p.n_features = static_cast<int>(n_features);
  RETURN_IF_ERROR(IsCurveFit(p) ? ReadCurve(doc, &p) : ReadAffine(doc, &p));
  RETURN_IF_ERROR(ValidateLinearFamily(p));
  return p;
}

absl::StatusOr<std::shared_ptr<const Regressor>> MakeLinearFamilyRegressor(
    LinearFamilyParams params) {
  RETURN_IF_ERROR(ValidateLinearFamily(params));
  return std::make_shared<const LinearFamilyRegressor>(std::move(params));
}

absl::StatusOr<std::shared_ptr<const Regressor>> ParseLinearFamilyRegressor(
    absl::string_view json) {
  ASSIGN_OR_RETURN(LinearFamilyParams params, LinearFamilyFromJson(json));
  return MakeLinearFamilyRegressor(std::move(params));
}

}  // namespace kepler::model::core
