#include "trainer/training_data.h"

#include <cmath>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace kepler::model::trainer {
namespace {

constexpr absl::string_view kRatioPrefix = "packge_ratio_";

std::vector<std::string> RatioUnits(const FeatureTable& table, absl::string_view component) {
  std::vector<std::string> units;
  for (const std::string& name : table.column_names) {
    if (!absl::StartsWith(name, kRatioPrefix)) continue;
    std::string unit = name.substr(kRatioPrefix.size());
    if (table.ColumnIndex(PowerColumnName(component, unit)) >= 0) units.push_back(unit);
  }
  return units;
}

absl::StatusOr<Eigen::MatrixXd> Features(const FeatureTable& table,
                                         const std::vector<std::string>& features,
                                         const std::vector<size_t>& rows) {
  Eigen::MatrixXd x(rows.size(), features.size());
  for (size_t f = 0; f < features.size(); ++f) {
    const std::vector<double>* column = table.Column(features[f]);
    if (column == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("no feature column ", features[f]));
    }
    for (size_t r = 0; r < rows.size(); ++r) x(r, f) = (*column)[rows[r]];
  }
  return x;
}

Eigen::VectorXd Take(const std::vector<double>& column, const std::vector<size_t>& rows) {
  Eigen::VectorXd out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) out(r) = column[rows[r]];
  return out;
}

}  // namespace

absl::StatusOr<ComponentData> DataForComponent(const FeatureTable& table,
                                               const std::vector<std::string>& features,
                                               absl::string_view component,
                                               const std::vector<size_t>& rows) {
  auto x = Features(table, features, rows);
  if (!x.ok()) return x.status();
  ComponentData data{Eigen::MatrixXd::Zero(rows.size(), features.size()),
                     Eigen::VectorXd::Zero(rows.size())};
  std::vector<std::string> units = RatioUnits(table, component);
  if (!units.empty()) {
    for (const std::string& unit : units) {
      Eigen::VectorXd ratio = Take(*table.Column(RatioColumnName(unit)), rows);
      data.x += ratio.asDiagonal() * *x;
      data.y += Take(*table.Column(PowerColumnName(component, unit)), rows);
    }
    return data;
  }
  bool found = false;
  for (const std::string& column : table.power_columns) {
    if (ComponentOfPowerColumn(column) != component) continue;
    data.y += Take(*table.Column(column), rows);
    found = true;
  }
  if (!found) return absl::InvalidArgumentError(absl::StrCat("no power column for ", component));
  data.x = *std::move(x);
  return data;
}

std::vector<size_t> RowsOfNodeType(const FeatureTable& table, int node_type) {
  std::vector<size_t> rows;
  const std::vector<double>* types = table.Column(kNodeTypeColumn);
  for (size_t r = 0; r < table.num_rows(); ++r) {
    int type = types == nullptr ? 0 : static_cast<int>(std::lround((*types)[r]));
    if (type == node_type) rows.push_back(r);
  }
  return rows;
}

std::vector<int> NodeTypesOf(const FeatureTable& table) {
  const std::vector<double>* types = table.Column(kNodeTypeColumn);
  if (types == nullptr) return {0};
  std::set<int> distinct;
  for (double type : *types) distinct.insert(static_cast<int>(std::lround(type)));
  return {distinct.begin(), distinct.end()};
}

}  // namespace kepler::model::trainer
