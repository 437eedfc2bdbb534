#include "core/internal/gradient_boosting_table.h"

#include <algorithm>
#include <map>

namespace kepler::model::core::internal {

std::optional<GradientBoostingTable> GradientBoostingTable::Build(
    const GradientBoostingParams& params, size_t max_cells) {
  std::map<int32_t, std::vector<double>> by_feature;
  for (const RegressionTree& tree : params.trees) {
    for (size_t i = 0; i < tree.children_left.size(); ++i) {
      if (tree.children_left[i] != -1) by_feature[tree.feature[i]].push_back(tree.threshold[i]);
    }
  }
  GradientBoostingTable table;
  size_t cells = 1;
  for (auto& [feature, thresholds] : by_feature) {
    std::sort(thresholds.begin(), thresholds.end());
    thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
    const size_t size = thresholds.size() + 1;
    if (size > max_cells / cells) return std::nullopt;
    table.axes_.push_back({feature, std::move(thresholds), cells});
    cells *= size;
  }
  // Position of each split feature's axis, and of each node's threshold on it.
  std::map<int32_t, size_t> axis_of;
  for (size_t a = 0; a < table.axes_.size(); ++a) axis_of[table.axes_[a].feature] = a;
  std::vector<std::vector<size_t>> rank(params.trees.size());
  for (size_t t = 0; t < params.trees.size(); ++t) {
    const RegressionTree& tree = params.trees[t];
    rank[t].resize(tree.children_left.size());
    for (size_t i = 0; i < tree.children_left.size(); ++i) {
      if (tree.children_left[i] == -1) continue;
      const auto& axis = table.axes_[axis_of[tree.feature[i]]].thresholds;
      rank[t][i] = std::lower_bound(axis.begin(), axis.end(), tree.threshold[i]) - axis.begin();
    }
  }
  table.cells_.assign(cells, params.init);
  std::vector<size_t> coordinate(table.axes_.size());
  for (size_t cell = 0; cell < cells; ++cell) {
    for (size_t a = 0; a < table.axes_.size(); ++a) {
      coordinate[a] = cell / table.axes_[a].stride % (table.axes_[a].thresholds.size() + 1);
    }
    double sum = params.init;
    for (size_t t = 0; t < params.trees.size(); ++t) {
      const RegressionTree& tree = params.trees[t];
      int32_t node = 0;
      // x <= threshold_j exactly when fewer than j + 1 thresholds lie below x.
      while (tree.children_left[node] != -1) {
        const bool left = coordinate[axis_of[tree.feature[node]]] <= rank[t][node];
        node = left ? tree.children_left[node] : tree.children_right[node];
      }
      sum += params.learning_rate * tree.value[node];
    }
    table.cells_[cell] = sum;
  }
  return table;
}

}  // namespace kepler::model::core::internal
