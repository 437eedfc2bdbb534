#include "core/sklearn/gradient_boosting_estimator.h"

#include <limits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace kepler::model::core::sklearn {
namespace {

using pickle::NumpyArray;
using pickle::PickleValue;
using Kind = PickleValue::Kind;

absl::Status Unsupported(absl::string_view what) {
  return absl::UnimplementedError(absl::StrCat("GradientBoostingRegressor: ", what));
}

absl::StatusOr<double> InitConstant(const SklearnObject& gb) {
  ASSIGN_OR_RETURN(const PickleValue* init, gb.Get("init_"));
  if (init->kind == Kind::kString && init->text == "zero") return 0.0;
  ASSIGN_OR_RETURN(SklearnObject dummy, SklearnObject::Of(*init));
  if (dummy.class_name() != "sklearn.dummy.DummyRegressor") {
    return Unsupported(absl::StrCat("init estimator ", dummy.class_name()));
  }
  std::vector<int64_t> shape;
  ASSIGN_OR_RETURN(std::vector<double> constant, dummy.Doubles("constant_", -1, &shape));
  if (constant.size() != 1) return dummy.Invalid("constant_", "expected one output");
  return constant[0];
}

absl::StatusOr<int32_t> NodeIndex(int64_t value, size_t nodes, bool allow_leaf) {
  if (allow_leaf && value == -1) return -1;
  if (value <= 0 || static_cast<uint64_t>(value) >= nodes) {
    return absl::InvalidArgumentError(absl::StrCat("Tree: child index ", value, " out of range"));
  }
  return static_cast<int32_t>(value);
}

// sklearn.tree._tree.Tree: REDUCE Tree(n_features, n_classes, n_outputs), BUILD {max_depth,
// node_count, nodes (records), values (nodes, n_outputs, max_n_classes)}.
absl::StatusOr<RegressionTree> ReadTree(const PickleValue& tree_value, int64_t n_features) {
  if (tree_value.kind != Kind::kObject || !tree_value.callable->IsGlobal("sklearn.tree._tree.Tree") ||
      tree_value.call != PickleValue::Call::kReduce || tree_value.state == nullptr ||
      tree_value.state->kind != Kind::kDict) {
    return absl::InvalidArgumentError("DecisionTreeRegressor.tree_: expected a fitted Tree");
  }
  const auto& args = tree_value.args->items;
  if (args.size() != 3) return absl::InvalidArgumentError("Tree: malformed arguments");
  ASSIGN_OR_RETURN(int64_t tree_features, pickle::IntegerOf(*args[0]));
  ASSIGN_OR_RETURN(int64_t n_outputs, pickle::IntegerOf(*args[2]));
  if (tree_features != n_features) {
    return absl::InvalidArgumentError(
        absl::StrCat("Tree: ", tree_features, " features, the ensemble has ", n_features));
  }
  if (n_outputs != 1) return Unsupported(absl::StrCat("trees with ", n_outputs, " outputs"));
  const PickleValue* nodes_value = tree_value.state->Get("nodes");
  const PickleValue* values_value = tree_value.state->Get("values");
  if (nodes_value == nullptr || values_value == nullptr) {
    return absl::InvalidArgumentError("Tree: state has no nodes or values");
  }
  ASSIGN_OR_RETURN(NumpyArray nodes, pickle::ArrayOf(*nodes_value));
  ASSIGN_OR_RETURN(NumpyArray values_array, pickle::ArrayOf(*values_value));
  ASSIGN_OR_RETURN(std::vector<double> values, pickle::ToDoubles(values_array));
  const size_t n = nodes.size();
  if (nodes.shape.size() != 1 || n == 0 || values_array.shape.size() != 3 ||
      values_array.shape[0] != static_cast<int64_t>(n) || values.size() != n) {
    return absl::InvalidArgumentError("Tree: nodes and values do not match");
  }
  if (const PickleValue* count = tree_value.state->Get("node_count")) {
    ASSIGN_OR_RETURN(int64_t node_count, pickle::IntegerOf(*count));
    if (node_count != static_cast<int64_t>(n)) {
      return absl::InvalidArgumentError("Tree: node_count does not match nodes");
    }
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> left, pickle::FieldInt64s(nodes, "left_child"));
  ASSIGN_OR_RETURN(std::vector<int64_t> right, pickle::FieldInt64s(nodes, "right_child"));
  ASSIGN_OR_RETURN(std::vector<int64_t> feature, pickle::FieldInt64s(nodes, "feature"));
  ASSIGN_OR_RETURN(std::vector<double> threshold, pickle::FieldDoubles(nodes, "threshold"));
  RegressionTree tree;
  tree.children_left.resize(n);
  tree.children_right.resize(n);
  tree.feature.resize(n);
  tree.threshold = std::move(threshold);
  tree.value = std::move(values);
  for (size_t i = 0; i < n; ++i) {
    ASSIGN_OR_RETURN(tree.children_left[i], NodeIndex(left[i], n, /*allow_leaf=*/true));
    ASSIGN_OR_RETURN(tree.children_right[i], NodeIndex(right[i], n, /*allow_leaf=*/true));
    const bool leaf = tree.children_left[i] == -1;
    if (leaf != (tree.children_right[i] == -1)) {
      return absl::InvalidArgumentError("Tree: a node with one child");
    }
    if (leaf) {
      tree.feature[i] = RegressionTree::kLeafFeature;
      tree.threshold[i] = -2;  // scikit-learn's TREE_UNDEFINED; never compared
    } else if (feature[i] < 0 || feature[i] >= n_features) {
      return absl::InvalidArgumentError(absl::StrCat("Tree: feature ", feature[i], " out of range"));
    } else {
      tree.feature[i] = static_cast<int32_t>(feature[i]);
    }
  }
  return tree;
}

}  // namespace

absl::StatusOr<GradientBoostingParams> ReadGradientBoosting(const SklearnObject& gb) {
  if (gb.class_name() != kGradientBoostingClass) {
    return absl::InvalidArgumentError(absl::StrCat(gb.class_name(), " is not a GradientBoostingRegressor"));
  }
  GradientBoostingParams params;
  params.float32_inputs = true;
  ASSIGN_OR_RETURN(int64_t n_features, gb.Integer("n_features_in_"));
  if (n_features < 1 || n_features > 1 << 16) return gb.Invalid("n_features_in_", "out of range");
  params.n_features = static_cast<int32_t>(n_features);
  if (const PickleValue* per_iteration = gb.Find("n_trees_per_iteration_")) {
    ASSIGN_OR_RETURN(int64_t trees, pickle::IntegerOf(*per_iteration));
    if (trees != 1) return Unsupported(absl::StrCat(trees, " trees per stage"));
  }
  ASSIGN_OR_RETURN(params.learning_rate, gb.Number("learning_rate"));
  ASSIGN_OR_RETURN(params.init, InitConstant(gb));
  ASSIGN_OR_RETURN(NumpyArray estimators, gb.Array("estimators_"));
  if (estimators.dtype.kind != 'O' || estimators.shape.size() != 2 || estimators.shape[1] != 1) {
    return gb.Invalid("estimators_", "expected an (n_stages, 1) array of trees");
  }
  int64_t stages = estimators.shape[0];
  if (const PickleValue* fitted = gb.Find("n_estimators_")) {
    ASSIGN_OR_RETURN(int64_t n, pickle::IntegerOf(*fitted));
    if (n < 0 || n > stages) return gb.Invalid("n_estimators_", "exceeds estimators_");
    stages = n;
  }
  params.trees.reserve(stages);
  for (int64_t i = 0; i < stages; ++i) {
    ASSIGN_OR_RETURN(SklearnObject tree, SklearnObject::Of(*estimators.objects[i]));
    if (tree.class_name() != "sklearn.tree._classes.DecisionTreeRegressor") {
      return gb.Invalid("estimators_", absl::StrCat("stage ", i, " is a ", tree.class_name()));
    }
    ASSIGN_OR_RETURN(const PickleValue* tree_value, tree.Get("tree_"));
    auto parsed = ReadTree(*tree_value, n_features);
    if (!parsed.ok()) {
      return absl::Status(parsed.status().code(),
                          absl::StrCat("GradientBoostingRegressor stage ", i, ": ",
                                       parsed.status().message()));
    }
    params.trees.push_back(*std::move(parsed));
  }
  return params;
}

}  // namespace kepler::model::core::sklearn
