#include "core/gradient_boosting_model.h"

#include <cmath>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/internal/json_arrays.h"
#include "core/status_macros.h"

namespace kepler::model::core {
namespace {

constexpr int32_t kMaxInt = std::numeric_limits<int32_t>::max();

absl::Status Invalid(size_t tree, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("gradient boosting model: tree ", tree, ": ", what));
}

absl::Status ValidateNode(const RegressionTree& t, size_t tree, size_t node, int32_t n_features) {
  const int32_t left = t.children_left[node], right = t.children_right[node];
  if (!std::isfinite(t.value[node]) || !std::isfinite(t.threshold[node])) {
    return Invalid(tree, absl::StrCat("node ", node, " holds a non-finite number"));
  }
  if (left == -1 && right == -1) return absl::OkStatus();
  const int32_t nodes = static_cast<int32_t>(t.value.size());
  if (left <= static_cast<int32_t>(node) || right <= static_cast<int32_t>(node) ||
      left >= nodes || right >= nodes) {
    return Invalid(tree, absl::StrCat("node ", node, " has invalid children"));
  }
  if (t.feature[node] < 0 || t.feature[node] >= n_features) {
    return Invalid(tree, absl::StrCat("node ", node, " splits on feature ", t.feature[node]));
  }
  return absl::OkStatus();
}

absl::Status ValidateTree(const RegressionTree& t, size_t tree, int32_t n_features) {
  const size_t n = t.value.size();
  if (n == 0) return Invalid(tree, "no nodes");
  if (t.children_left.size() != n || t.children_right.size() != n || t.feature.size() != n ||
      t.threshold.size() != n) {
    return Invalid(tree, "arrays differ in length");
  }
  for (size_t node = 0; node < n; ++node) RETURN_IF_ERROR(ValidateNode(t, tree, node, n_features));
  return absl::OkStatus();
}

double PredictTree(const RegressionTree& t, const double* row) {
  int32_t node = 0;
  while (t.children_left[node] != -1) {
    node = row[t.feature[node]] <= t.threshold[node] ? t.children_left[node]
                                                      : t.children_right[node];
  }
  return t.value[node];
}

class GradientBoostingRegressor final : public Regressor {
 public:
  explicit GradientBoostingRegressor(GradientBoostingParams params) : params_(std::move(params)) {}

  size_t num_features() const override { return params_.n_features; }
  absl::string_view family() const override { return "gradient-boosting"; }

  // Accumulates tree by tree, as scikit-learn does, so sums round the same way.
  void Predict(const double* x, size_t rows, double* out) const override {
    const size_t width = params_.n_features;
    std::vector<double> rounded;
    if (params_.float32_inputs) {
      rounded.assign(x, x + rows * width);
      for (double& v : rounded) v = static_cast<float>(v);
      x = rounded.data();
    }
    for (size_t r = 0; r < rows; ++r) out[r] = params_.init;
    for (const RegressionTree& tree : params_.trees) {
      for (size_t r = 0; r < rows; ++r) {
        out[r] += params_.learning_rate * PredictTree(tree, x + r * width);
      }
    }
  }

 private:
  const GradientBoostingParams params_;
};

void AddTree(rapidjson::Document* doc, rapidjson::Value* trees, const RegressionTree& t) {
  rapidjson::Value object(rapidjson::kObjectType);
  internal::AddInts(doc, &object, "children_left", t.children_left);
  internal::AddInts(doc, &object, "children_right", t.children_right);
  internal::AddInts(doc, &object, "feature", t.feature);
  internal::AddDoubles(doc, &object, "threshold", t.threshold);
  internal::AddDoubles(doc, &object, "value", t.value);
  trees->PushBack(object, doc->GetAllocator());
}

absl::StatusOr<RegressionTree> ReadTree(const rapidjson::Value& object) {
  RegressionTree t;
  ASSIGN_OR_RETURN(t.children_left, internal::GetInts(object, "children_left", -1, kMaxInt));
  ASSIGN_OR_RETURN(t.children_right, internal::GetInts(object, "children_right", -1, kMaxInt));
  ASSIGN_OR_RETURN(t.feature, internal::GetInts(object, "feature", -2, kMaxInt));
  ASSIGN_OR_RETURN(t.threshold, internal::GetDoubles(object, "threshold"));
  ASSIGN_OR_RETURN(t.value, internal::GetDoubles(object, "value"));
  return t;
}

}  // namespace

absl::Status ValidateGradientBoosting(const GradientBoostingParams& params) {
  if (params.n_features < 1) {
    return absl::InvalidArgumentError("gradient boosting model: n_features must be >= 1");
  }
  if (!std::isfinite(params.init) || !std::isfinite(params.learning_rate)) {
    return absl::InvalidArgumentError("gradient boosting model: non-finite init or learning rate");
  }
  for (size_t i = 0; i < params.trees.size(); ++i) {
    RETURN_IF_ERROR(ValidateTree(params.trees[i], i, params.n_features));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> GradientBoostingToJson(const GradientBoostingParams& params) {
  RETURN_IF_ERROR(ValidateGradientBoosting(params));
  rapidjson::Document doc = internal::NewModelFile(kGradientBoostingModelName);
  internal::AddInt(&doc, &doc, "n_features", params.n_features);
  internal::AddDouble(&doc, &doc, "init", params.init);
  internal::AddDouble(&doc, &doc, "learning_rate", params.learning_rate);
  rapidjson::Value trees(rapidjson::kArrayType);
  for (const RegressionTree& t : params.trees) AddTree(&doc, &trees, t);
  doc.AddMember("trees", trees, doc.GetAllocator());
  return internal::ToJsonText(doc);
}

absl::StatusOr<GradientBoostingParams> GradientBoostingFromJson(absl::string_view json) {
  ASSIGN_OR_RETURN(rapidjson::Document doc,
                   internal::ParseModelFile(json, kGradientBoostingModelName));
  GradientBoostingParams params;
  ASSIGN_OR_RETURN(int64_t n_features, internal::GetInt(doc, "n_features", 1, kMaxInt));
  params.n_features = static_cast<int32_t>(n_features);
  ASSIGN_OR_RETURN(params.init, internal::GetDouble(doc, "init"));
  ASSIGN_OR_RETURN(params.learning_rate, internal::GetDouble(doc, "learning_rate"));
  auto trees = doc.FindMember("trees");
  if (trees == doc.MemberEnd() || !trees->value.IsArray()) {
    return absl::InvalidArgumentError("gradient boosting model: \"trees\" is not an array");
  }
  for (const rapidjson::Value& tree : trees->value.GetArray()) {
    ASSIGN_OR_RETURN(RegressionTree t, ReadTree(tree));
    params.trees.push_back(std::move(t));
  }
  RETURN_IF_ERROR(ValidateGradientBoosting(params));
  return params;
}

absl::StatusOr<std::shared_ptr<const Regressor>> MakeGradientBoostingRegressor(
    GradientBoostingParams params) {
  RETURN_IF_ERROR(ValidateGradientBoosting(params));
  return std::make_shared<const GradientBoostingRegressor>(std::move(params));
}

}  // namespace kepler::model::core
