#include "trainer/internal/table_ops.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "trainer/internal/power_data.h"
#include "trainer/internal/rates.h"

namespace kepler::model::trainer::internal {
namespace {

std::vector<double> UniqueTimes(const FeatureTable& table) {
  std::vector<double> grid = table.timestamps;
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
  return grid;
}

// Grid position of each row (rows are sorted by timestamp).
std::vector<int32_t> RowPositions(const FeatureTable& table, const std::vector<double>& grid) {
  std::vector<int32_t> positions;
  MatchGrid(table.timestamps, grid, &positions);
  return positions;
}

// Keeps the rows flagged in `keep` and appends `columns` (full length) under `names`.
void KeepAndAppend(const std::vector<char>& keep, std::vector<std::string> names,
                   std::vector<std::vector<double>> columns, FeatureTable* table) {
  std::vector<size_t> rows;
  for (size_t r = 0; r < keep.size(); ++r) {
    if (keep[r]) rows.push_back(r);
  }
  for (size_t c = 0; c < names.size(); ++c) table->AddColumn(names[c], std::move(columns[c]));
  if (rows.size() != keep.size()) *table = table->SelectRows(rows);
}

std::vector<std::string> PackageUnits(const FeatureTable& table) {
  std::set<std::string> units;
  for (const std::string& column : table.power_columns) {
    if (column.find("package") == std::string::npos) continue;
    std::vector<std::string> parts = absl::StrSplit(column, '_');
    units.insert(parts.size() >= 3 ? parts[parts.size() - 3] : parts[0]);
  }
  return {units.begin(), units.end()};
}

}  // namespace

absl::Status AppendSystemFeatures(const Capture& capture, const std::vector<WorkloadQuery>& system,
                                  FeatureTable* table) {
  if (system.empty()) return absl::OkStatus();
  std::vector<double> grid = UniqueTimes(*table);
  std::vector<int32_t> positions = RowPositions(*table, grid), match;
  std::vector<char> keep(table->num_rows(), 1);
  std::vector<std::string> names;
  std::vector<std::vector<double>> columns;
  for (const WorkloadQuery& query : system) {
    const SeriesTable* series = capture.Find(query.query);
    if (series == nullptr || series->empty()) {
      return absl::NotFoundError(absl::StrCat("query ", query.query, " is missing; it gives the ",
                                              query.feature, " feature"));
    }
    std::vector<double> sums(grid.size(), 0), counts(grid.size(), 0);
    for (size_t s = 0; s < series->num_series(); ++s) {
      MatchGrid(series->Timestamps(s), grid, &match);
      for (size_t i = 0; i < match.size(); ++i) {
        if (match[i] < 0) continue;
        sums[match[i]] += series->Values(s)[i];
        counts[match[i]] += 1;
      }
    }
    std::vector<double> column(table->num_rows(), 0);
    for (size_t r = 0; r < column.size(); ++r) {
      int32_t g = positions[r];
      if (counts[g] == 0) {
        keep[r] = 0;
      } else {
        column[r] = std::trunc(sums[g] / counts[g]);
      }
    }
    names.push_back(query.feature);
    columns.push_back(std::move(column));
  }
  KeepAndAppend(keep, std::move(names), std::move(columns), table);
  return absl::OkStatus();
}

absl::Status AppendRatioColumns(const Capture& capture, const std::vector<std::string>& id_labels,
                                FeatureTable* table) {
  std::vector<std::string> units = PackageUnits(*table);
  if (units.empty()) return absl::OkStatus();
  std::vector<std::string> names;
  for (const std::string& unit : units) names.push_back(RatioColumnName(unit));
  std::vector<std::vector<double>> columns(units.size());
  if (!capture.HasData(kUsageRatioQuery)) {
    for (auto& column : columns) column.assign(table->num_rows(), 1.0 / units.size());
    KeepAndAppend(std::vector<char>(table->num_rows(), 1), names, columns, table);
    return absl::OkStatus();
  }
  const SeriesTable& ratio = *capture.Find(kUsageRatioQuery);
  std::vector<double> grid = UniqueTimes(*table);
  absl::flat_hash_map<std::string, double> sums;  // "<grid>|<pkg_id>|<id>"
  std::vector<int32_t> match;
  std::vector<absl::string_view> parts(id_labels.size());
  for (size_t s = 0; s < ratio.num_series(); ++s) {
    for (size_t l = 0; l < parts.size(); ++l) parts[l] = ratio.Label(s, id_labels[l]);
    std::string id = table->has_ids ? absl::StrJoin(parts, "/") : "";
    MatchGrid(ratio.Timestamps(s), grid, &match);
    for (size_t i = 0; i < match.size(); ++i) {
      if (match[i] < 0) continue;
      sums[absl::StrCat(match[i], "|", ratio.Label(s, "pkg_id"), "|", id)] += ratio.Values(s)[i];
    }
  }
  std::vector<int32_t> positions = RowPositions(*table, grid);
  std::vector<char> keep(table->num_rows(), 1);
  for (size_t r = 0; r < table->num_rows(); ++r) {
    double total = 0;
    for (size_t u = 0; u < units.size(); ++u) {
      auto it = sums.find(absl::StrCat(positions[r], "|", units[u], "|", table->IdOf(r)));
      if (it == sums.end()) keep[r] = 0;
      columns[u].push_back(it == sums.end() ? 0 : it->second);
      total += columns[u].back();
    }
    for (auto& column : columns) {
      column.back() = total > 0 ? column.back() / total : 1.0 / units.size();
    }
  }
  KeepAndAppend(keep, std::move(names), std::move(columns), table);
  return absl::OkStatus();
}

absl::StatusOr<FeatureTable> RollingMean(const FeatureTable& table, int window) {
  FeatureTable out = table;
  if (window <= 1) return out;
  std::vector<std::vector<size_t>> groups(table.has_ids ? table.id_names.size() : 1);
  for (size_t r = 0; r < table.num_rows(); ++r) {
    groups[table.has_ids ? table.ids[r] : 0].push_back(r);
  }
  std::vector<int> smoothed;
  for (const auto* role : {&table.feature_columns, &table.power_columns}) {
    for (const std::string& name : *role) smoothed.push_back(table.ColumnIndex(name));
  }
  std::vector<char> keep(table.num_rows(), 0);
  for (const std::vector<size_t>& rows : groups) {
    for (size_t k = window - 1; k < rows.size(); ++k) {
      keep[rows[k]] = 1;
      for (int c : smoothed) {
        double sum = 0;
        for (size_t j = k + 1 - window; j <= k; ++j) sum += table.columns[c][rows[j]];
        out.columns[c][rows[k]] = sum / window;
      }
    }
  }
  std::vector<size_t> kept;
  for (size_t r = 0; r < keep.size(); ++r) {
    if (keep[r]) kept.push_back(r);
  }
  if (kept.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("smooth: no id has ", window, " rows for the rolling mean"));
  }
  return out.SelectRows(kept);
}

}  // namespace kepler::model::trainer::internal
