#include "core/gradient_boosting_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/internal/gradient_boosting_table.h"
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

// Longest root-to-leaf path; children always follow their parent, so one backward pass does.
int Depth(const RegressionTree& tree) {
  std::vector<int> below(tree.children_left.size(), 0);
  for (size_t i = below.size(); i-- > 0;) {
    if (tree.children_left[i] != -1) {
      below[i] = 1 + std::max(below[tree.children_left[i]], below[tree.children_right[i]]);
    }
  }
  return below.empty() ? 0 : below[0];
}

// One node of a flattened tree: internal nodes go to child[x[feature] > threshold]; leaves hold
// their value in `threshold` and are their own children, so every walk takes exactly the tree's
// depth steps. The child is picked by an index, not a branch: no mispredicted comparisons.
struct FlatNode {
  double threshold;
  int32_t feature;
  int32_t child[2];
};

class GradientBoostingRegressor final : public Regressor {
 public:
  // Builds one way to evaluate the forest: a table when its thresholds cut few cells, else
  // heaps when every tree is shallow enough, else flattened nodes. The trees are not kept.
  explicit GradientBoostingRegressor(GradientBoostingParams params) : params_(std::move(params)) {
    table_ = internal::GradientBoostingTable::Build(params_, kMaxTableCells);
    if (!table_.has_value()) {
      std::vector<int> depths;
      for (const RegressionTree& tree : params_.trees) depths.push_back(Depth(tree));
      if (*std::max_element(depths.begin(), depths.end()) <= kMaxHeapDepth) {
        BuildHeaps(depths);
      } else {
        BuildNodes(std::move(depths));
      }
    }
    params_.trees = {};
  }

  size_t num_features() const override { return params_.n_features; }
  absl::string_view family() const override { return "gradient-boosting"; }

  // Accumulates tree by tree, as scikit-learn does, so sums round the same way; rows go in
  // blocks so a block's inputs and each tree stay in cache.
  void Predict(const double* x, size_t rows, double* out) const override {
    const size_t width = params_.n_features;
    constexpr size_t kBlock = 256;
    std::vector<double> rounded(params_.float32_inputs ? std::min(rows, kBlock) * width : 0);
    for (size_t start = 0; start < rows; start += kBlock) {
      const size_t n = std::min(kBlock, rows - start);
      const double* block = x + start * width;
      if (params_.float32_inputs) {
        for (size_t i = 0; i < n * width; ++i) rounded[i] = static_cast<float>(block[i]);
        block = rounded.data();
      }
      if (table_.has_value()) {
        for (size_t r = 0; r < n; ++r) out[start + r] = table_->Predict(block + r * width);
      } else {
        PredictBlock(block, n, out + start);
      }
    }
  }

 private:
  // Every tree of depth <= kMaxHeapDepth as a complete binary heap: node i's children are 2i+1
  // and 2i+2, so a step needs no child load. A leaf above the bottom level is pushed down through
  // nodes that always go left (threshold +inf: no input, even an infinite one, is above it).
  static constexpr int kMaxHeapDepth = 10;
  struct Heap {
    size_t split;  // offset of the tree's 2^depth - 1 splits in heap_feature_/heap_threshold_
    size_t leaf;   // offset of its 2^depth leaves in heap_value_
    int depth;
  };

  void BuildHeaps(const std::vector<int>& depths) {
    for (size_t t = 0; t < params_.trees.size(); ++t) {
      const RegressionTree& tree = params_.trees[t];
      const int depth = depths[t];
      const size_t splits = (size_t{1} << depth) - 1;
      Heap heap{heap_feature_.size(), heap_value_.size(), depth};
      heap_feature_.resize(heap.split + splits, 0);
      heap_threshold_.resize(heap.split + splits, std::numeric_limits<double>::infinity());
      heap_value_.resize(heap.leaf + (size_t{1} << depth), 0);
      // (heap position, tree node) pairs, top-down.
      std::vector<std::pair<size_t, int32_t>> pending = {{0, 0}};
      while (!pending.empty()) {
        auto [position, node] = pending.back();
        pending.pop_back();
        if (position >= splits) {  // bottom level: a leaf
          heap_value_[heap.leaf + position - splits] = tree.value[node];
          continue;
        }
        const bool leaf = tree.children_left[node] == -1;
        if (!leaf) {
          heap_feature_[heap.split + position] = tree.feature[node];
          heap_threshold_[heap.split + position] = tree.threshold[node];
        }
        pending.push_back({2 * position + 1, leaf ? node : tree.children_left[node]});
        if (!leaf) pending.push_back({2 * position + 2, tree.children_right[node]});
      }
      heaps_.push_back(heap);
    }
  }

  // Walks kLanes rows through one heap at once: the walks are independent, so the CPU overlaps
  // their loads instead of waiting for one at a time.
  void PredictBlock(const double* x, size_t rows, double* out) const {
    constexpr size_t kLanes = 8;
    const size_t width = params_.n_features;
    const double rate = params_.learning_rate;
    for (size_t r = 0; r < rows; ++r) out[r] = params_.init;
    if (!nodes_.empty()) return PredictBlockByNodes(x, rows, out);
    for (const Heap& heap : heaps_) {
      const int32_t* feature = heap_feature_.data() + heap.split;
      const double* threshold = heap_threshold_.data() + heap.split;
      const double* value = heap_value_.data() + heap.leaf;
      const size_t splits = (size_t{1} << heap.depth) - 1;
      if (heap.depth == 0) {  // a single leaf
        for (size_t r = 0; r < rows; ++r) out[r] += rate * value[0];
        continue;
      }
      size_t r = 0;
      for (; r + kLanes <= rows; r += kLanes) {
        // Eight walks in eight registers (an array would go through memory).
        const double* row = x + r * width;
        // The root's split is the same for every row: its feature and threshold stay in
        // registers.
        const int32_t f0 = feature[0];
        const double t0 = threshold[0];
        const auto first = [&](size_t lane) -> size_t { return 1 + (row[lane * width + f0] > t0); };
        size_t i0 = first(0), i1 = first(1), i2 = first(2), i3 = first(3), i4 = first(4),
               i5 = first(5), i6 = first(6), i7 = first(7);
        const auto step = [&](size_t i, size_t lane) {
          return 2 * i + 1 + (row[lane * width + feature[i]] > threshold[i]);
        };
        for (int level = 1; level < heap.depth; ++level) {
          i0 = step(i0, 0);
          i1 = step(i1, 1);
          i2 = step(i2, 2);
          i3 = step(i3, 3);
          i4 = step(i4, 4);
          i5 = step(i5, 5);
          i6 = step(i6, 6);
          i7 = step(i7, 7);
        }
        const size_t leaves[kLanes] = {i0, i1, i2, i3, i4, i5, i6, i7};
        for (size_t l = 0; l < kLanes; ++l) out[r + l] += rate * value[leaves[l] - splits];
      }
      for (; r < rows; ++r) {
        size_t i = 0;
        for (int level = 0; level < heap.depth; ++level) {
          i = 2 * i + 1 + (x[r * width + feature[i]] > threshold[i]);
        }
        out[r] += rate * value[i - splits];
      }
    }
  }

  void BuildNodes(std::vector<int> depths) {
    depths_ = std::move(depths);
    for (const RegressionTree& tree : params_.trees) {
      roots_.push_back(static_cast<int32_t>(nodes_.size()));
      const auto base = static_cast<int32_t>(nodes_.size());
      for (size_t i = 0; i < tree.children_left.size(); ++i) {
        const bool leaf = tree.children_left[i] == -1;
        const int32_t self = base + static_cast<int32_t>(i);
        nodes_.push_back({leaf ? tree.value[i] : tree.threshold[i], leaf ? 0 : tree.feature[i],
                          {leaf ? self : base + tree.children_left[i],
                           leaf ? self : base + tree.children_right[i]}});
      }
    }
  }

  const FlatNode* Step(const FlatNode* node, const double* row) const {
    return &nodes_[node->child[row[node->feature] > node->threshold]];
  }

  // Deep trees: follow the flattened nodes, four rows at once.
  void PredictBlockByNodes(const double* x, size_t rows, double* out) const {
    const size_t width = params_.n_features;
    const double rate = params_.learning_rate;
    for (size_t t = 0; t < roots_.size(); ++t) {
      const FlatNode* root = &nodes_[roots_[t]];
      const int depth = depths_[t];
      size_t r = 0;
      for (; r + 4 <= rows; r += 4) {
        const double* x0 = x + r * width;
        const double *x1 = x0 + width, *x2 = x1 + width, *x3 = x2 + width;
        const FlatNode *a = root, *b = root, *c = root, *d = root;
        for (int level = 0; level < depth; ++level) {
          a = Step(a, x0);
          b = Step(b, x1);
          c = Step(c, x2);
          d = Step(d, x3);
        }
        out[r] += rate * a->threshold;
        out[r + 1] += rate * b->threshold;
        out[r + 2] += rate * c->threshold;
        out[r + 3] += rate * d->threshold;
      }
      for (; r < rows; ++r) {
        const FlatNode* node = root;
        for (int level = 0; level < depth; ++level) node = Step(node, x + r * width);
        out[r] += rate * node->threshold;
      }
    }
  }

  GradientBoostingParams params_;  // without its trees once built
  // Deep forests: flattened nodes, each tree's root and depth.
  std::vector<FlatNode> nodes_;
  std::vector<int32_t> roots_;
  std::vector<int> depths_;
  // Shallow forests: heaps (none when a table or the nodes are used).
  std::vector<Heap> heaps_;
  std::vector<int32_t> heap_feature_;
  std::vector<double> heap_threshold_;
  std::vector<double> heap_value_;
  // Forests on few thresholds: precomputed per grid cell (16,384 cells: 128 KiB and a few
  // milliseconds of loading at most, so a sidecar's memory stays small).
  static constexpr size_t kMaxTableCells = 1 << 14;
  std::optional<internal::GradientBoostingTable> table_;
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
