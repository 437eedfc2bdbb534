#include "trainer/internal/power_data.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/energy_source.h"
#include "trainer/internal/rates.h"

namespace kepler::model::trainer::internal {
namespace {

// One power column before the join: watts at timestamps.
struct Column {
  std::string name;
  std::vector<double> timestamps;
  std::vector<double> watts;
};

bool SplitsPerPackage(absl::string_view component) {
  return component == "package" || component == "core" || component == "uncore" ||
         component == "dram";
}

// Per-timestamp sum of `series`, at the timestamps every one of them has.
void SumSeries(const SeriesTable& table, const std::vector<size_t>& series,
               std::vector<double>* times, std::vector<double>* sums) {
  auto first = table.Timestamps(series[0]);
  times->assign(first.begin(), first.end());
  sums->assign(times->size(), 0.0);
  std::vector<char> complete(times->size(), 1);
  std::vector<int32_t> match;
  for (size_t s : series) {
    auto values = table.Values(s);
    MatchGrid(table.Timestamps(s), *times, &match);
    std::vector<char> seen(times->size(), 0);
    for (size_t i = 0; i < match.size(); ++i) {
      if (match[i] < 0) continue;
      (*sums)[match[i]] += values[i];
      seen[match[i]] = 1;
    }
    for (size_t j = 0; j < seen.size(); ++j) complete[j] &= seen[j];
  }
  size_t kept = 0;
  for (size_t j = 0; j < times->size(); ++j) {
    if (!complete[j]) continue;
    (*times)[kept] = (*times)[j];
    (*sums)[kept++] = (*sums)[j];
  }
  times->resize(kept);
  sums->resize(kept);
}

Column RatesOf(std::string name, const SeriesTable& table, const std::vector<size_t>& series) {
  Column column{std::move(name), {}, {}};
  std::vector<double> sums, rates;
  SumSeries(table, series, &column.timestamps, &sums);
  CounterRates(column.timestamps, sums, &rates);
  if (column.timestamps.empty()) return column;
  // The first sample has no predecessor: no watts there.
  column.timestamps.erase(column.timestamps.begin());
  column.watts.assign(rates.begin() + 1, rates.end());
  return column;
}

absl::Status ComponentColumns(const Capture& capture, absl::string_view source,
                              absl::string_view component, bool use_vm, bool per_package,
                              std::vector<Column>* out) {
  std::string query = EnergyQuery(component, use_vm);
  const SeriesTable* table = capture.Find(query);
  if (table == nullptr || table->empty()) {
    return absl::NotFoundError(absl::StrCat("query ", query, " is missing; it gives the ",
                                            component, " power of ", source));
  }
  std::map<std::string, std::vector<size_t>> groups;  // unit -> series (sorted units)
  bool split = per_package && SplitsPerPackage(component);
  for (size_t s = 0; s < table->num_series(); ++s) {
    if (table->Label(s, "source") != source) continue;
    groups[split ? std::string(table->Label(s, "package")) : ""].push_back(s);
  }
  if (groups.empty()) {
    return absl::NotFoundError(
        absl::StrCat("query ", query, " has no series with source=\"", source, "\""));
  }
  for (const auto& [unit, series] : groups) {
    out->push_back(RatesOf(PowerColumnName(component, unit), *table, series));
  }
  return absl::OkStatus();
}

// Inner join on timestamp, then drop rows whose power sums to exactly 0.
FeatureTable Join(std::vector<Column> columns) {
  std::vector<double> common = columns[0].timestamps;
  for (size_t c = 1; c < columns.size(); ++c) {
    std::vector<double> both;
    std::set_intersection(common.begin(), common.end(), columns[c].timestamps.begin(),
                          columns[c].timestamps.end(), std::back_inserter(both));
    common.swap(both);
  }
  std::vector<std::vector<double>> joined(columns.size());
  std::vector<int32_t> match;
  for (size_t c = 0; c < columns.size(); ++c) {
    MatchGrid(common, columns[c].timestamps, &match);
    for (int32_t j : match) joined[c].push_back(columns[c].watts[j]);
  }
  FeatureTable table;
  std::vector<size_t> keep;
  for (size_t row = 0; row < common.size(); ++row) {
    double sum = 0;
    for (const auto& column : joined) sum += column[row];
    if (sum != 0) keep.push_back(row);
  }
  for (size_t row : keep) table.timestamps.push_back(common[row]);
  for (size_t c = 0; c < columns.size(); ++c) {
    std::vector<double> values;
    values.reserve(keep.size());
    for (size_t row : keep) values.push_back(joined[c][row]);
    table.power_columns.push_back(columns[c].name);
    table.AddColumn(std::move(columns[c].name), std::move(values));
  }
  return table;
}

}  // namespace

std::string EnergyQuery(absl::string_view component, bool use_vm_metrics) {
  return absl::StrCat(use_vm_metrics ? "kepler_vm_" : "kepler_node_", component,
                      "_joules_total");
}

absl::StatusOr<FeatureTable> ReadPower(const Capture& capture, absl::string_view source,
                                       bool use_vm_metrics) {
  const std::vector<std::string>& components = core::ComponentsOf(source);
  if (components.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("unknown energy source \"", source, "\""));
  }
  bool per_package = capture.HasData(kUsageRatioQuery);
  std::vector<Column> columns;
  for (const std::string& component : components) {
    absl::Status status =
        ComponentColumns(capture, source, component, use_vm_metrics, per_package, &columns);
    if (!status.ok()) return status;
  }
  return Join(std::move(columns));
}

}  // namespace kepler::model::trainer::internal
