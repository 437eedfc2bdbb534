#include "core/weight_document.h"

#include <cmath>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace kepler::model::core {
namespace {

using rapidjson::Value;
using Allocator = rapidjson::Document::AllocatorType;

constexpr const char* kComponentNames[] = {"package", "core", "uncore", "dram", "platform"};

bool IsComponentName(absl::string_view key) {
  for (const char* name : kComponentNames) {
    if (absl::EqualsIgnoreCase(key, name)) return true;
  }
  return false;
}

absl::Status Invalid(absl::string_view path, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("weight document: ", path, ": ", what));
}

absl::StatusOr<double> ReadNumber(const Value& value, absl::string_view path) {
  if (!value.IsNumber()) return Invalid(path, "not a number");
  const double number = value.GetDouble();
  if (!std::isfinite(number)) return Invalid(path, "not a finite number");
  return number;
}

// Reads the optional number `key` of `object` into `*out` through `set`.
template <typename Setter>
absl::Status ReadOptional(const Value& object, absl::string_view key, absl::string_view path,
                          Setter set) {
  const Value* value = FindMember(object, key);
  if (value == nullptr) return absl::OkStatus();
  ASSIGN_OR_RETURN(double number, ReadNumber(*value, absl::StrCat(path, ".", key)));
  set(number);
  return absl::OkStatus();
}

absl::Status ReadNumerical(const Value& variables, absl::string_view path,
                           v1::ComponentWeights* out) {
  if (!variables.IsObject()) return Invalid(path, "not an object");
  absl::flat_hash_set<absl::string_view> seen;
  for (const auto& member : variables.GetObject()) {
    const absl::string_view feature = StringView(member.name);
    const std::string feature_path = absl::StrCat(path, ".", feature);
    if (!seen.insert(feature).second) return Invalid(feature_path, "repeated feature");
    if (!member.value.IsObject()) return Invalid(feature_path, "not an object");
    const Value* scale = FindMember(member.value, "scale");
    if (scale == nullptr) return Invalid(feature_path, "missing scale");
    v1::NumericalVariable* var = out->add_numerical_variables();
    ASSIGN_OR_RETURN(double s, ReadNumber(*scale, feature_path + ".scale"));
    var->set_scale(s);
    RETURN_IF_ERROR(ReadOptional(member.value, "weight", feature_path,
                                 [var](double v) { var->set_weight(v); }));
    RETURN_IF_ERROR(ReadOptional(member.value, "mean", feature_path,
                                 [var](double v) { var->set_mean(v); }));
    RETURN_IF_ERROR(ReadOptional(member.value, "variance", feature_path,
                                 [var](double v) { var->set_variance(v); }));
    out->add_feature_names(std::string(feature));
  }
  return absl::OkStatus();
}

absl::Status ReadCurveFit(const Value& weights, absl::string_view path,
                          v1::ComponentWeights* out) {
  if (weights.IsNull()) return absl::OkStatus();  // Go decodes null as an empty slice.
  if (!weights.IsArray()) return Invalid(path, "not an array");
  for (rapidjson::SizeType i = 0; i < weights.Size(); ++i) {
    ASSIGN_OR_RETURN(double w, ReadNumber(weights[i], absl::StrCat(path, "[", i, "]")));
    out->add_curve_fit_weights(w);
  }
  return absl::OkStatus();
}

absl::Status ReadAllWeights(const Value& all, const std::string& path, v1::ComponentWeights* out) {
  if (!all.IsObject()) return Invalid(path, "not an object");
  RETURN_IF_ERROR(ReadOptional(all, "Bias_Weight", path,
                               [out](double v) { out->set_bias_weight(v); }));
  if (const Value* categorical = FindMember(all, "Categorical_Variables")) {
    const bool empty = categorical->IsNull() ||
                       (categorical->IsObject() && categorical->MemberCount() == 0);
    if (!empty) return Invalid(path + ".Categorical_Variables", "only {} is supported");
  }
  if (const Value* numerical = FindMember(all, "Numerical_Variables")) {
    RETURN_IF_ERROR(ReadNumerical(*numerical, path + ".Numerical_Variables", out));
  }
  if (const Value* curve = FindMember(all, "CurveFit_Weights")) {
    RETURN_IF_ERROR(ReadCurveFit(*curve, path + ".CurveFit_Weights", out));
  }
  if (const Value* xgb = FindMember(all, "XGboost_Weights")) {
    if (!xgb->IsString()) return Invalid(path + ".XGboost_Weights", "not a string");
    out->set_xgboost_weights(std::string(StringView(*xgb)));
  }
  return absl::OkStatus();
}

Value Number(double v) { return Value(v); }

absl::Status CheckFinite(double v, absl::string_view path) {
  if (!std::isfinite(v)) return Invalid(path, "not a finite number");
  return absl::OkStatus();
}

absl::StatusOr<Value> NumericalJson(const v1::ComponentWeights& c, Allocator& alloc) {
  if (c.feature_names_size() != c.numerical_variables_size()) {
    return Invalid(c.component(), "feature_names and numerical_variables differ in length");
  }
  Value out(rapidjson::kObjectType);
  for (int i = 0; i < c.feature_names_size(); ++i) {
    const v1::NumericalVariable& var = c.numerical_variables(i);
    const std::string path = absl::StrCat(c.component(), ".", c.feature_names(i));
    Value entry(rapidjson::kObjectType);
    RETURN_IF_ERROR(CheckFinite(var.scale(), path + ".scale"));
    entry.AddMember("scale", Number(var.scale()), alloc);
    for (auto [has, value, key] : {std::make_tuple(var.has_weight(), var.weight(), "weight"),
                                   std::make_tuple(var.has_mean(), var.mean(), "mean"),
                                   std::make_tuple(var.has_variance(), var.variance(), "variance")}) {
      if (!has) continue;
      RETURN_IF_ERROR(CheckFinite(value, absl::StrCat(path, ".", key)));
      entry.AddMember(Value(key, alloc), Number(value), alloc);
    }
    out.AddMember(Value(c.feature_names(i).c_str(), c.feature_names(i).size(), alloc), entry, alloc);
  }
  return out;
}

absl::StatusOr<Value> ComponentJson(const v1::ComponentWeights& c, Allocator& alloc) {
  Value all(rapidjson::kObjectType);
  if (c.has_bias_weight()) {
    RETURN_IF_ERROR(CheckFinite(c.bias_weight(), c.component() + ".Bias_Weight"));
    all.AddMember("Bias_Weight", Number(c.bias_weight()), alloc);
  }
  all.AddMember("Categorical_Variables", Value(rapidjson::kObjectType), alloc);
  ASSIGN_OR_RETURN(Value numerical, NumericalJson(c, alloc));
  all.AddMember("Numerical_Variables", numerical, alloc);
  if (c.curve_fit_weights_size() > 0) {
    Value curve(rapidjson::kArrayType);
    for (double w : c.curve_fit_weights()) {
      RETURN_IF_ERROR(CheckFinite(w, c.component() + ".CurveFit_Weights"));
      curve.PushBack(Number(w), alloc);
    }
    all.AddMember("CurveFit_Weights", curve, alloc);
  }
  if (!c.xgboost_weights().empty()) {
    all.AddMember("XGboost_Weights", Value(c.xgboost_weights().c_str(), alloc), alloc);
  }
  Value out(rapidjson::kObjectType);
  out.AddMember("All_Weights", all, alloc);
  return out;
}

// Number of CurveFit_Weights Kepler's predictor for `trainer` requires (kepler-clients §1.5).
int RequiredCurveFitCount(absl::string_view trainer) {
  if (trainer == "LogarithmicRegressionTrainer" || trainer == "ExponentialRegressionTrainer") {
    return 3;
  }
  if (trainer == "LogisticRegressionTrainer") return 4;
  return 0;
}

}  // namespace

absl::StatusOr<v1::WeightDocument> WeightDocumentFromJson(const Value& root) {
  if (!root.IsObject()) return Invalid("$", "not a JSON object");
  v1::WeightDocument doc;
  absl::flat_hash_set<std::string> seen;
  for (const auto& member : root.GetObject()) {
    const std::string name(StringView(member.name));
    const Value* all = FindMember(member.value, "All_Weights");
    if (all == nullptr) {
      if (IsComponentName(name)) return Invalid(name, "missing All_Weights");
      continue;  // model_name, machine_spec, mae, ...
    }
    if (!seen.insert(name).second) return Invalid(name, "repeated component");
    v1::ComponentWeights* component = doc.add_components();
    component->set_component(name);
    RETURN_IF_ERROR(ReadAllWeights(*all, name + ".All_Weights", component));
  }
  return doc;
}

absl::StatusOr<v1::WeightDocument> ParseWeightDocument(absl::string_view json_text) {
  ASSIGN_OR_RETURN(rapidjson::Document root, ParseJson(json_text));
  return WeightDocumentFromJson(root);
}

absl::Status AddWeightDocumentMembers(const v1::WeightDocument& doc, Value* object,
                                      Allocator& allocator) {
  if (!object->IsObject()) return absl::InvalidArgumentError("weight document: not an object");
  for (const v1::ComponentWeights& component : doc.components()) {
    ASSIGN_OR_RETURN(Value value, ComponentJson(component, allocator));
    object->AddMember(Value(component.component().c_str(), allocator), value, allocator);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> WriteWeightDocument(const v1::WeightDocument& doc,
                                                const JsonWriteOptions& options) {
  rapidjson::Document root(rapidjson::kObjectType);
  RETURN_IF_ERROR(AddWeightDocumentMembers(doc, &root, root.GetAllocator()));
  return WriteJson(root, options);
}

absl::Status ValidateForKepler(const v1::WeightDocument& doc, absl::string_view trainer) {
  if (doc.components_size() == 0) {
    return absl::InvalidArgumentError("weight document has no component");
  }
  const int required = RequiredCurveFitCount(trainer);
  for (const v1::ComponentWeights& c : doc.components()) {
    if (c.curve_fit_weights_size() == required) continue;
    const std::string predictor = required == 0 ? "linear" : std::string(trainer);
    return absl::InvalidArgumentError(absl::StrCat(
        "component ", c.component(), ": Kepler's ", predictor, " predictor needs exactly ",
        required, " CurveFit_Weights, the document has ", c.curve_fit_weights_size()));
  }
  return absl::OkStatus();
}

}  // namespace kepler::model::core
