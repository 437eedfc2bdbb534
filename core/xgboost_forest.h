// An xgboost tree ensemble read from xgboost's JSON model format and evaluated natively.
//
// What: the trees, base score and objective of a booster saved by xgboost's `save_model` as
// JSON (the `<component>.json` files of published archives and of this project's
// XgboostFitTrainer), predicting exactly what xgboost's CPU predictor predicts: inputs are read
// as float32, a node sends x left when x < split_condition and NaN the default way, leaf values
// are summed in float32 in tree order onto the base margin, then the objective's link applies.
// Why: libxgboost costs the estimator ~4.7 MB of resident memory (with libdmlc and libgomp) and
// a mutex per booster, and evaluates a 400-tree archive at ~3 ms per 1,000 rows. Published
// forests split on few features with few distinct thresholds, so most compile to a small table.
// How: FromJson validates the document (gbtree, one target, numerical splits, every node
// reachable once from its root, feature indices below num_feature) and lays each tree out
// breadth-first with siblings adjacent. When the cross product of the distinct thresholds of
// the features the forest splits on (plus a missing-value cell each) has at most kMaxTableCells
// cells (and filling them takes a few milliseconds at most), every cell's prediction is computed
// once by walking the trees, and Predict becomes a binary search per split feature and one table
// read; otherwise Predict walks the trees for each row.
//
// Thread-safety: immutable after FromJson; Predict may run concurrently.
#ifndef KEPLER_CORE_XGBOOST_FOREST_H_
#define KEPLER_CORE_XGBOOST_FOREST_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rapidjson/fwd.h"

namespace kepler::model::core {

class XgboostForest {
 public:
  // Largest lookup table built: 16,384 floats (64 KiB) per forest.
  static constexpr size_t kMaxTableCells = 16384;

  // Parses and validates a JSON model; InvalidArgument naming the problem otherwise.
  // `allow_table` false always walks the trees (for tests comparing the two ways).
  static absl::StatusOr<XgboostForest> FromJson(absl::string_view json, bool allow_table = true);

  // Input columns (xgboost's num_feature).
  size_t num_features() const { return num_features_; }
  // Whether predictions come from the precomputed table (exposed for tests and benchmarks).
  bool uses_table() const { return !table_.empty(); }

  // One prediction per row of the row-major `x` (rows x num_features()); NaN is a missing value.
  void Predict(const double* x, size_t rows, double* out) const;

 private:
  // A node; children of an internal node are `left` and `left + 1`.
  struct Node {
    float value;           // split condition, or the leaf value at leaves
    uint32_t feature;      // split feature; bit 31 set: NaN goes left
    int32_t left;          // -1 at leaves
  };
  enum class Link : uint8_t { kIdentity, kExp, kSigmoid };

  XgboostForest() = default;

  // Validates tree `index` of the JSON model and appends its nodes breadth-first.
  absl::Status AddTree(const rapidjson::Value& tree, size_t index);

  // Sum of the leaves `row` reaches, onto the base margin (float32, in tree order).
  float Margin(const float* row) const;
  float ApplyLink(float margin) const;
  void BuildTable();
  void PredictWithTable(const double* x, size_t rows, double* out) const;
  void PredictByTrees(const double* x, size_t rows, double* out) const;

  size_t num_features_ = 0;
  float base_margin_ = 0;
  Link link_ = Link::kIdentity;
  std::vector<Node> nodes_;
  std::vector<uint32_t> roots_;  // into nodes_
  size_t longest_walk_ = 0;      // nodes on the deepest path of every tree, summed
  // Table mode: per split feature, its sorted distinct thresholds and the table stride.
  struct TableAxis {
    uint32_t feature;
    size_t stride;
    std::vector<float> thresholds;
  };
  std::vector<TableAxis> axes_;
  std::vector<float> table_;  // margins, one per cell
};

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_XGBOOST_FOREST_H_
