#include "trainer/internal/workload_data.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "trainer/internal/rates.h"

namespace kepler::model::trainer::internal {
namespace {

// The rows of one id: sorted grid positions and, per column, their values (a column the id
// never had is absent: zeros).
struct IdRows {
  std::vector<uint32_t> grid;
  std::vector<std::vector<double>> columns;
};

// Collects (grid position, value) pairs per id and column.
class RowBuilder {
 public:
  uint32_t IdIndex(absl::string_view id) {
    auto it = index_.find(id);
    if (it != index_.end()) return it->second;
    uint32_t index = static_cast<uint32_t>(names_.size());
    names_.emplace_back(id);
    index_.emplace(names_.back(), index);
    rows_.emplace_back();
    return index;
  }
  size_t AddColumn(std::string name) {
    columns_.push_back(std::move(name));
    return columns_.size() - 1;
  }
  // Adds `values` at sorted `grid` positions to column `column` of id `id`.
  void Add(uint32_t id, size_t column, const std::vector<uint32_t>& grid,
           const std::vector<double>& values);
  WorkloadRows Finish();

 private:
  std::vector<std::string> columns_;
  std::vector<std::string> names_;
  absl::flat_hash_map<std::string, uint32_t> index_;
  std::vector<IdRows> rows_;
};

// Re-lays `column` from grid `from` onto the superset grid `to`.
std::vector<double> Spread(const std::vector<double>& column, const std::vector<uint32_t>& from,
                           const std::vector<uint32_t>& to) {
  std::vector<double> out(to.size(), 0.0);
  for (size_t r = 0, m = 0; r < from.size(); ++r) {
    while (to[m] != from[r]) ++m;
    out[m] = column[r];
  }
  return out;
}

void RowBuilder::Add(uint32_t id, size_t column, const std::vector<uint32_t>& grid,
                     const std::vector<double>& values) {
  IdRows& rows = rows_[id];
  if (rows.grid != grid) {  // union of the grid positions, keeping existing values
    std::vector<uint32_t> merged;
    std::set_union(rows.grid.begin(), rows.grid.end(), grid.begin(), grid.end(),
                   std::back_inserter(merged));
    for (auto& existing : rows.columns) {
      if (!existing.empty()) existing = Spread(existing, rows.grid, merged);
    }
    rows.grid.swap(merged);
  }
  if (rows.columns.size() <= column) rows.columns.resize(column + 1);
  std::vector<double>& target = rows.columns[column];
  if (target.empty()) target.assign(rows.grid.size(), 0.0);
  for (size_t i = 0, r = 0; i < grid.size(); ++i) {
    while (rows.grid[r] != grid[i]) ++r;
    target[r] += values[i];
  }
}

WorkloadRows RowBuilder::Finish() {
  WorkloadRows out;
  out.columns = columns_;
  out.id_names = names_;
  out.values.resize(columns_.size());
  for (uint32_t id = 0; id < rows_.size(); ++id) {
    IdRows& rows = rows_[id];
    out.row_grid.insert(out.row_grid.end(), rows.grid.begin(), rows.grid.end());
    out.row_id.insert(out.row_id.end(), rows.grid.size(), id);
    for (size_t c = 0; c < columns_.size(); ++c) {
      std::vector<double>& target = out.values[c];
      if (c < rows.columns.size() && !rows.columns[c].empty()) {
        target.insert(target.end(), rows.columns[c].begin(), rows.columns[c].end());
      } else {
        target.insert(target.end(), rows.grid.size(), 0.0);
      }
    }
    IdRows().columns.swap(rows.columns);  // release as we go
  }
  return out;
}

bool HasIdLabels(const SeriesTable& table, const std::vector<std::string>& labels) {
  for (size_t s = 0; s < table.num_series(); ++s) {
    if (std::all_of(labels.begin(), labels.end(),
                    [&](const std::string& l) { return !table.Label(s, l).empty(); })) {
      return true;
    }
  }
  return false;
}

void AddContainerTable(const SeriesTable& table, size_t column, const std::vector<double>& grid,
                       const WorkloadOptions& options, RowBuilder* builder) {
  std::vector<double> rates, kept_values;
  std::vector<int32_t> match;
  std::vector<uint32_t> kept_grid;
  std::vector<absl::string_view> parts(options.id_labels.size());
  for (size_t s = 0; s < table.num_series(); ++s) {
    bool is_vm = table.Label(s, "job") == options.vm_job_name;
    if (is_vm != options.use_vm_metrics || table.Timestamps(s).size() < 2) continue;
    CounterRates(table.Timestamps(s), table.Values(s), &rates);
    MatchGrid(table.Timestamps(s), grid, &match);
    kept_grid.clear();
    kept_values.clear();
    for (size_t i = 0; i < match.size(); ++i) {
      if (match[i] < 0) continue;
      kept_grid.push_back(match[i]);
      kept_values.push_back(rates[i]);
    }
    if (kept_grid.empty()) continue;
    for (size_t l = 0; l < parts.size(); ++l) parts[l] = table.Label(s, options.id_labels[l]);
    builder->Add(builder->IdIndex(absl::StrJoin(parts, "/")), column, kept_grid, kept_values);
  }
}

// Node tables: per `type` value, the sum per grid timestamp (values, not rates).
void AddNodeTable(const SeriesTable& table, const std::string& feature,
                  const std::vector<double>& grid, RowBuilder* builder) {
  std::map<std::string, std::vector<size_t>> by_type;
  for (size_t s = 0; s < table.num_series(); ++s) {
    by_type[std::string(table.Label(s, "type"))].push_back(s);
  }
  uint32_t id = builder->IdIndex(kNodeRowId);
  std::vector<int32_t> match;
  for (const auto& [type, series] : by_type) {
    size_t column = builder->AddColumn(type.empty() ? feature : absl::StrCat(feature, "_", type));
    std::map<uint32_t, double> sums;
    for (size_t s : series) {
      MatchGrid(table.Timestamps(s), grid, &match);
      for (size_t i = 0; i < match.size(); ++i) {
        if (match[i] >= 0) sums[match[i]] += table.Values(s)[i];
      }
    }
    std::vector<uint32_t> positions;
    std::vector<double> values;
    for (const auto& [position, value] : sums) {
      positions.push_back(position);
      values.push_back(value);
    }
    if (!positions.empty()) builder->Add(id, column, positions, values);
  }
}

}  // namespace

absl::StatusOr<WorkloadRows> ReadWorkload(const Capture& capture,
                                          const std::vector<WorkloadQuery>& queries,
                                          const std::vector<double>& grid,
                                          const WorkloadOptions& options) {
  RowBuilder builder;
  for (const WorkloadQuery& query : queries) {
    const SeriesTable* table = capture.Find(query.query);
    if (table == nullptr || table->empty()) {
      return absl::NotFoundError(absl::StrCat("query ", query.query, " is missing; it gives the ",
                                              query.feature, " feature"));
    }
    if (HasIdLabels(*table, options.id_labels)) {
      AddContainerTable(*table, builder.AddColumn(query.feature), grid, options, &builder);
    } else {
      AddNodeTable(*table, query.feature, grid, &builder);
    }
  }
  return builder.Finish();
}

}  // namespace kepler::model::trainer::internal
