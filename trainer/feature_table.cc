#include "trainer/feature_table.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace kepler::model::trainer {
namespace {

void AppendNumber(std::string* out, double value) {
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof(buf), value);
  out->append(buf, result.ptr);
}

double Pearson(const std::vector<double>& x, const std::vector<double>& y) {
  size_t n = x.size();
  if (n < 2) return std::numeric_limits<double>::quiet_NaN();
  double mean_x = 0, mean_y = 0;
  for (size_t i = 0; i < n; ++i) mean_x += x[i], mean_y += y[i];
  mean_x /= n;
  mean_y /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; ++i) {
    double dx = x[i] - mean_x, dy = y[i] - mean_y;
    sxy += dx * dy, sxx += dx * dx, syy += dy * dy;
  }
  if (sxx == 0 || syy == 0) return std::numeric_limits<double>::quiet_NaN();
  return sxy / std::sqrt(sxx * syy);
}

}  // namespace

std::string PowerColumnName(absl::string_view component, absl::string_view unit) {
  if (unit.empty()) return absl::StrCat(component, "_power");
  return absl::StrCat("package_", unit, "_", component, "_power");
}

std::string ComponentOfPowerColumn(absl::string_view column) {
  std::vector<absl::string_view> parts = absl::StrSplit(column, '_');
  return parts.size() < 2 ? std::string(column) : std::string(parts[parts.size() - 2]);
}

std::string RatioColumnName(absl::string_view unit) { return absl::StrCat("packge_ratio_", unit); }

absl::string_view ContainerNameOfId(absl::string_view id) {
  std::vector<absl::string_view> parts = absl::StrSplit(id, '/');
  return parts.size() == 4 ? parts[2] : absl::string_view();
}

absl::string_view FeatureTable::IdOf(size_t row) const {
  return has_ids ? absl::string_view(id_names[ids[row]]) : absl::string_view();
}

int FeatureTable::ColumnIndex(absl::string_view name) const {
  for (size_t i = 0; i < column_names.size(); ++i) {
    if (column_names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

const std::vector<double>* FeatureTable::Column(absl::string_view name) const {
  int index = ColumnIndex(name);
  return index < 0 ? nullptr : &columns[index];
}

std::vector<double>* FeatureTable::MutableColumn(absl::string_view name) {
  int index = ColumnIndex(name);
  return index < 0 ? nullptr : &columns[index];
}

void FeatureTable::AddColumn(std::string name, std::vector<double> values) {
  column_names.push_back(std::move(name));
  columns.push_back(std::move(values));
}

FeatureTable FeatureTable::SelectRows(const std::vector<size_t>& rows) const {
  FeatureTable out;
  out.has_ids = has_ids;
  out.id_names = id_names;
  out.column_names = column_names;
  out.feature_columns = feature_columns;
  out.power_columns = power_columns;
  out.timestamps.reserve(rows.size());
  for (size_t row : rows) out.timestamps.push_back(timestamps[row]);
  if (has_ids) {
    out.ids.reserve(rows.size());
    for (size_t row : rows) out.ids.push_back(ids[row]);
  }
  out.columns.resize(columns.size());
  for (size_t c = 0; c < columns.size(); ++c) {
    out.columns[c].reserve(rows.size());
    for (size_t row : rows) out.columns[c].push_back(columns[c][row]);
  }
  return out;
}

absl::Status FeatureTable::Validate() const {
  if (column_names.size() != columns.size()) {
    return absl::InvalidArgumentError("column names and columns differ in number");
  }
  if (has_ids ? ids.size() != num_rows() : !ids.empty()) {
    return absl::InvalidArgumentError("the id column does not have one entry per row");
  }
  for (uint32_t id : ids) {
    if (id >= id_names.size()) return absl::InvalidArgumentError("an id is out of range");
  }
  absl::flat_hash_set<absl::string_view> seen;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (!seen.insert(column_names[c]).second) {
      return absl::InvalidArgumentError(absl::StrCat("column ", column_names[c], " twice"));
    }
    if (columns[c].size() != num_rows()) {
      return absl::InvalidArgumentError(
          absl::StrCat("column ", column_names[c], " has ", columns[c].size(), " rows, not ",
                       num_rows()));
    }
  }
  for (const auto* role : {&feature_columns, &power_columns}) {
    for (const std::string& name : *role) {
      if (!seen.contains(name)) {
        return absl::InvalidArgumentError(absl::StrCat("role names missing column ", name));
      }
    }
  }
  return absl::OkStatus();
}

std::string ToCsv(const FeatureTable& table) {
  std::string out = "timestamp";
  if (table.has_ids) out += ",id";
  for (const std::string& name : table.column_names) absl::StrAppend(&out, ",", name);
  out += "\n";
  for (size_t row = 0; row < table.num_rows(); ++row) {
    AppendNumber(&out, table.timestamps[row]);
    if (table.has_ids) absl::StrAppend(&out, ",", table.IdOf(row));
    for (const auto& column : table.columns) {
      out += ",";
      AppendNumber(&out, column[row]);
    }
    out += "\n";
  }
  return out;
}

std::vector<double> FeatureCorrelations(const FeatureTable& table, absl::string_view component) {
  std::vector<int> power;
  for (const std::string& name : table.power_columns) {
    if (ComponentOfPowerColumn(name) == component) power.push_back(table.ColumnIndex(name));
  }
  size_t num_features = table.feature_columns.size();
  std::vector<std::vector<double>> sums(num_features);
  std::vector<double> target;
  for (size_t begin = 0; begin < table.num_rows();) {
    size_t end = begin;
    while (end < table.num_rows() && table.timestamps[end] == table.timestamps[begin]) ++end;
    for (size_t f = 0; f < num_features; ++f) {
      const std::vector<double>& column = *table.Column(table.feature_columns[f]);
      double sum = 0;
      for (size_t row = begin; row < end; ++row) sum += column[row];
      sums[f].push_back(sum);
    }
    double watts = 0;
    for (int c : power) {
      double mean = 0;
      for (size_t row = begin; row < end; ++row) mean += table.columns[c][row];
      watts += mean / (end - begin);
    }
    target.push_back(watts);
    begin = end;
  }
  std::vector<double> out;
  for (size_t f = 0; f < num_features; ++f) out.push_back(Pearson(sums[f], target));
  return out;
}

}  // namespace kepler::model::trainer
