#include "core/xgboost_forest.h"

#include <algorithm>
#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"

namespace kepler::model::core {
namespace {

using Value = rapidjson::Value;

constexpr uint32_t kDefaultLeft = 1u << 31;
constexpr size_t kRowBlock = 64;
// Bounds the work of building a table: cells x (nodes on the longest root-to-leaf path of every
// tree) node visits, ~10 ms at most.
constexpr size_t kMaxTableVisits = size_t{1} << 23;

absl::Status Invalid(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("xgboost JSON model: ", what));
}

const Value* Member(const Value& object, const char* key) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

absl::StatusOr<const Value*> Object(const Value& parent, const char* key) {
  const Value* v = Member(parent, key);
  if (v == nullptr || !v->IsObject()) return Invalid(absl::StrCat("\"", key, "\" is not an object"));
  return v;
}

absl::StatusOr<const Value*> Array(const Value& parent, const char* key) {
  const Value* v = Member(parent, key);
  if (v == nullptr || !v->IsArray()) return Invalid(absl::StrCat("\"", key, "\" is not an array"));
  return v;
}

// Numbers are parsed as text (kParseNumbersAsStringsFlag) and converted once, straight to float:
// going through double would round twice and could differ from xgboost's float parse.
absl::StatusOr<float> ToFloat(const Value& v, absl::string_view what) {
  if (v.IsString()) {
    const std::string text(v.GetString(), v.GetStringLength());
    char* end = nullptr;
    errno = 0;
    const float f = std::strtof(text.c_str(), &end);
    if (!text.empty() && end == text.c_str() + text.size() && std::isfinite(f)) return f;
  }
  return Invalid(absl::StrCat(what, " is not a finite number"));
}

absl::StatusOr<int64_t> ToInt(const Value& v, absl::string_view what) {
  int64_t out = 0;
  if (v.IsString() && absl::SimpleAtoi(absl::string_view(v.GetString(), v.GetStringLength()), &out)) {
    return out;
  }
  return Invalid(absl::StrCat(what, " is not an integer"));
}

// default_left is written as 0/1 by xgboost 1.x and may be booleans elsewhere.
absl::StatusOr<bool> ToFlag(const Value& v, absl::string_view what) {
  if (v.IsBool()) return v.GetBool();
  ASSIGN_OR_RETURN(int64_t i, ToInt(v, what));
  if (i != 0 && i != 1) return Invalid(absl::StrCat(what, " is not 0 or 1"));
  return i == 1;
}

// The float xgboost reads for a double input (out-of-range values become infinities).
float AsFloat(double d) {
  if (std::isnan(d)) return std::numeric_limits<float>::quiet_NaN();
  if (std::abs(d) > FLT_MAX) return d > 0 ? HUGE_VALF : -HUGE_VALF;
  return static_cast<float>(d);
}

}  // namespace

absl::StatusOr<XgboostForest> XgboostForest::FromJson(absl::string_view json, bool allow_table) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseNumbersAsStringsFlag>(json.data(), json.size());
  if (doc.HasParseError()) {
    return Invalid(absl::StrCat("not JSON (", rapidjson::GetParseError_En(doc.GetParseError()),
                                " at offset ", doc.GetErrorOffset(), ")"));
  }
  XgboostForest forest;
  ASSIGN_OR_RETURN(const Value* learner, Object(doc, "learner"));
  ASSIGN_OR_RETURN(const Value* params, Object(*learner, "learner_model_param"));
  const Value* num_feature = Member(*params, "num_feature");
  if (num_feature == nullptr) return Invalid("no num_feature");
  ASSIGN_OR_RETURN(int64_t features, ToInt(*num_feature, "num_feature"));
  if (features < 1 || features > (1 << 14)) return Invalid("num_feature out of range");
  forest.num_features_ = static_cast<size_t>(features);
  for (const char* key : {"num_class", "num_target"}) {
    if (const Value* v = Member(*params, key)) {
      ASSIGN_OR_RETURN(int64_t n, ToInt(*v, key));
      if (n > 1) return Invalid(absl::StrCat(key, " ", n, ": only single-output models are supported"));
    }
  }
  const Value* base = Member(*params, "base_score");
  if (base == nullptr || !base->IsString()) return Invalid("no base_score");
  // xgboost 3 writes the (vector) base score as "[5E-1]"; one target has one value.
  absl::string_view base_text(base->GetString(), base->GetStringLength());
  if (absl::ConsumePrefix(&base_text, "[") && !absl::ConsumeSuffix(&base_text, "]")) {
    return Invalid("base_score is not a finite number");
  }
  const Value base_value(rapidjson::StringRef(base_text.data(), base_text.size()));
  ASSIGN_OR_RETURN(float base_score, ToFloat(base_value, "base_score"));

  ASSIGN_OR_RETURN(const Value* objective, Object(*learner, "objective"));
  const Value* name = Member(*objective, "name");
  if (name == nullptr || !name->IsString()) return Invalid("objective has no name");
  const absl::string_view obj(name->GetString(), name->GetStringLength());
  // Each objective's PredTransform and ProbToMargin (the margin of base_score), as in xgboost.
  if (obj == "reg:squarederror" || obj == "reg:linear" || obj == "reg:squaredlogerror" ||
      obj == "reg:pseudohubererror" || obj == "reg:absoluteerror" ||
      obj == "reg:quantileerror" || obj == "binary:logitraw") {
    forest.link_ = Link::kIdentity;
    forest.base_margin_ = base_score;
  } else if (obj == "count:poisson" || obj == "reg:gamma" || obj == "reg:tweedie") {
    if (!(base_score > 0)) return Invalid("base_score must be positive for a log link");
    forest.link_ = Link::kExp;
    forest.base_margin_ = std::log(base_score);
  } else if (obj == "reg:logistic" || obj == "binary:logistic") {
    if (!(base_score > 0 && base_score < 1)) return Invalid("base_score must be in (0, 1)");
    forest.link_ = Link::kSigmoid;
    forest.base_margin_ = -std::log(1.0f / base_score - 1.0f);
  } else {
    return Invalid(absl::StrCat("unsupported objective ", obj));
  }

  ASSIGN_OR_RETURN(const Value* booster, Object(*learner, "gradient_booster"));
  const Value* booster_name = Member(*booster, "name");
  if (booster_name == nullptr || !booster_name->IsString() ||
      absl::string_view(booster_name->GetString()) != "gbtree") {
    return Invalid("unsupported booster (only gbtree)");
  }
  ASSIGN_OR_RETURN(const Value* model, Object(*booster, "model"));
  ASSIGN_OR_RETURN(const Value* trees, Array(*model, "trees"));
  for (rapidjson::SizeType t = 0; t < trees->Size(); ++t) {
    RETURN_IF_ERROR(forest.AddTree((*trees)[t], t));
  }
  if (allow_table) forest.BuildTable();
  return forest;
}

absl::Status XgboostForest::AddTree(const Value& tree, size_t index) {
  const auto bad = [index](absl::string_view what) {
    return Invalid(absl::StrCat("tree ", index, ": ", what));
  };
  ASSIGN_OR_RETURN(const Value* left, Array(tree, "left_children"));
  ASSIGN_OR_RETURN(const Value* right, Array(tree, "right_children"));
  ASSIGN_OR_RETURN(const Value* feature, Array(tree, "split_indices"));
  ASSIGN_OR_RETURN(const Value* split, Array(tree, "split_conditions"));
  ASSIGN_OR_RETURN(const Value* default_left, Array(tree, "default_left"));
  const rapidjson::SizeType n = left->Size();
  if (n == 0) return bad("no nodes");
  if (right->Size() != n || feature->Size() != n || split->Size() != n ||
      default_left->Size() != n) {
    return bad("node arrays differ in length");
  }
  if (const Value* types = Member(tree, "split_type"); types != nullptr && types->IsArray()) {
    for (const Value& type : types->GetArray()) {
      ASSIGN_OR_RETURN(int64_t t, ToInt(type, "split_type"));
      if (t != 0) return bad("categorical splits are not supported");
    }
  }
  // Breadth-first from the root: a node's position is its place in `order`, and an internal
  // node's children take the next two free positions. Pruned (unreachable) nodes are dropped;
  // a node reached twice would make a cycle or a shared subtree, neither of which xgboost writes.
  std::vector<bool> seen(n, false);
  std::vector<uint32_t> order = {0};
  std::vector<uint32_t> depth = {1};  // of order[i]
  seen[0] = true;
  const uint32_t base = static_cast<uint32_t>(nodes_.size());
  for (size_t i = 0; i < order.size(); ++i) {
    const uint32_t id = order[i];
    ASSIGN_OR_RETURN(int64_t l, ToInt((*left)[id], "left_children"));
    ASSIGN_OR_RETURN(int64_t r, ToInt((*right)[id], "right_children"));
    ASSIGN_OR_RETURN(float value, ToFloat((*split)[id], "split_conditions"));
    Node node{value, 0, -1};
    if (l != -1 || r != -1) {
      if (l < 0 || r < 0 || l >= n || r >= n || seen[l] || seen[r] || l == r) {
        return bad(absl::StrCat("node ", id, " has invalid children"));
      }
      ASSIGN_OR_RETURN(int64_t f, ToInt((*feature)[id], "split_indices"));
      if (f < 0 || static_cast<uint64_t>(f) >= num_features_) {
        return bad(absl::StrCat("node ", id, " splits on feature ", f, " of ", num_features_));
      }
      ASSIGN_OR_RETURN(bool go_left, ToFlag((*default_left)[id], "default_left"));
      node.feature = static_cast<uint32_t>(f) | (go_left ? kDefaultLeft : 0);
      node.left = static_cast<int32_t>(base + order.size());
      seen[l] = seen[r] = true;
      order.push_back(static_cast<uint32_t>(l));
      order.push_back(static_cast<uint32_t>(r));
      depth.push_back(depth[i] + 1);
      depth.push_back(depth[i] + 1);
    }
    nodes_.push_back(node);
  }
  roots_.push_back(base);
  longest_walk_ += depth.back();  // breadth-first: the last node is the deepest
  return absl::OkStatus();
}

float XgboostForest::Margin(const float* row) const {
  float sum = base_margin_;
  for (uint32_t root : roots_) {
    const Node* node = &nodes_[root];
    while (node->left >= 0) {
      const float v = row[node->feature & ~kDefaultLeft];
      const bool right = std::isnan(v) ? (node->feature & kDefaultLeft) == 0 : !(v < node->value);
      node = &nodes_[node->left + right];
    }
    sum += node->value;
  }
  return sum;
}

float XgboostForest::ApplyLink(float margin) const {
  switch (link_) {
    case Link::kExp:
      return std::exp(margin);
    case Link::kSigmoid:
      return 1.0f / (1.0f + std::exp(-margin));
    case Link::kIdentity:
      break;
  }
  return margin;
}

void XgboostForest::BuildTable() {
  std::vector<std::vector<float>> thresholds(num_features_);
  for (const Node& node : nodes_) {
    if (node.left >= 0) thresholds[node.feature & ~kDefaultLeft].push_back(node.value);
  }
  size_t cells = 1;
  std::vector<TableAxis> axes;
  for (uint32_t f = 0; f < num_features_; ++f) {
    std::vector<float>& t = thresholds[f];
    if (t.empty()) continue;
    std::sort(t.begin(), t.end());
    t.erase(std::unique(t.begin(), t.end()), t.end());
    // Cells: below every threshold, at or above each one, and missing (NaN).
    const size_t width = t.size() + 2;
    if (width > kMaxTableCells || cells * width > kMaxTableCells) return;
    axes.push_back({f, cells, std::move(t)});
    cells *= width;
  }
  if (cells * std::max<size_t>(1, longest_walk_) > kMaxTableVisits) return;
  std::vector<float> row(num_features_, 0.0f);
  table_.resize(cells);
  for (size_t cell = 0; cell < cells; ++cell) {
    for (const TableAxis& axis : axes) {
      const size_t k = cell / axis.stride % (axis.thresholds.size() + 2);
      // A representative value: every value of the cell takes the same branch at every node.
      row[axis.feature] = k == 0 ? -HUGE_VALF
                          : k <= axis.thresholds.size() ? axis.thresholds[k - 1]
                                                        : std::numeric_limits<float>::quiet_NaN();
    }
    table_[cell] = Margin(row.data());
  }
  axes_ = std::move(axes);
}

void XgboostForest::Predict(const double* x, size_t rows, double* out) const {
  if (uses_table()) {
    PredictWithTable(x, rows, out);
  } else {
    PredictByTrees(x, rows, out);
  }
}

void XgboostForest::PredictWithTable(const double* x, size_t rows, double* out) const {
  for (size_t r = 0; r < rows; ++r) {
    const double* row = x + r * num_features_;
    size_t cell = 0;
    for (const TableAxis& axis : axes_) {
      const float v = AsFloat(row[axis.feature]);
      const size_t k = std::isnan(v) ? axis.thresholds.size() + 1
                                     : std::upper_bound(axis.thresholds.begin(),
                                                        axis.thresholds.end(), v) -
                                           axis.thresholds.begin();
      cell += k * axis.stride;
    }
    out[r] = ApplyLink(table_[cell]);
  }
}

void XgboostForest::PredictByTrees(const double* x, size_t rows, double* out) const {
  std::vector<float> block(std::min(rows, kRowBlock) * num_features_);
  for (size_t begin = 0; begin < rows; begin += kRowBlock) {
    const size_t n = std::min(kRowBlock, rows - begin);
    for (size_t i = 0; i < n * num_features_; ++i) block[i] = AsFloat(x[begin * num_features_ + i]);
    for (size_t r = 0; r < n; ++r) out[begin + r] = ApplyLink(Margin(&block[r * num_features_]));
  }
}

}  // namespace kepler::model::core
