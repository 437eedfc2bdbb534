#include "trainer/extractor.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/energy_source.h"
#include "core/status_macros.h"
#include "trainer/internal/power_data.h"
#include "trainer/internal/rates.h"
#include "trainer/internal/table_ops.h"
#include "trainer/internal/workload_data.h"

namespace kepler::model::trainer {
namespace {

constexpr absl::string_view kNodeNodeInfoQuery = "kepler_node_node_info";
constexpr absl::string_view kNodeInfoQuery = "kepler_node_info";

bool Contains(const std::vector<std::string>& list, absl::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

const core::FeatureGroups& GroupsOf(const ExtractOptions& options) {
  return options.feature_groups ? *options.feature_groups : core::FeatureGroups::Default();
}

std::vector<std::string> IdLabels(bool use_vm_metrics) {
  if (use_vm_metrics) return {"container_id", "pid"};
  return {"container_id", "pod_name", "container_name", "container_namespace"};
}

// Node level, aggregated: per timestamp the sum of features over ids and the node's power.
FeatureTable Aggregate(const internal::WorkloadRows& rows, const FeatureTable& power) {
  size_t grid_size = power.num_rows();
  std::vector<char> present(grid_size, 0);
  std::vector<std::vector<double>> sums(rows.columns.size(), std::vector<double>(grid_size, 0));
  for (size_t r = 0; r < rows.row_grid.size(); ++r) {
    uint32_t g = rows.row_grid[r];
    present[g] = 1;
    for (size_t f = 0; f < rows.columns.size(); ++f) sums[f][g] += rows.values[f][r];
  }
  std::vector<size_t> keep;
  for (size_t g = 0; g < grid_size; ++g) {
    if (present[g]) keep.push_back(g);
  }
  FeatureTable selected = power.SelectRows(keep);
  FeatureTable table;
  table.timestamps = std::move(selected.timestamps);
  for (size_t f = 0; f < rows.columns.size(); ++f) {
    std::vector<double> column;
    column.reserve(keep.size());
    for (size_t g : keep) column.push_back(sums[f][g]);
    table.AddColumn(rows.columns[f], std::move(column));
  }
  table.feature_columns = rows.columns;
  for (size_t c = 0; c < power.num_columns(); ++c) {
    table.AddColumn(power.column_names[c], std::move(selected.columns[c]));
  }
  table.power_columns = power.power_columns;
  return table;
}

// Row order of the container-level table: by grid position, then by id text. A counting sort:
// rows come grouped by id, so visiting ids in text order and bucketing by grid position is stable.
std::vector<size_t> TimeThenIdOrder(const internal::WorkloadRows& rows, size_t grid_size) {
  std::vector<uint32_t> by_name(rows.id_names.size());
  std::iota(by_name.begin(), by_name.end(), 0);
  std::sort(by_name.begin(), by_name.end(),
            [&](uint32_t a, uint32_t b) { return rows.id_names[a] < rows.id_names[b]; });
  std::vector<size_t> id_begin(rows.id_names.size() + 1, 0);
  std::vector<size_t> offset(grid_size + 1, 0);
  for (size_t r = 0; r < rows.row_grid.size(); ++r) {
    ++id_begin[rows.row_id[r] + 1];
    ++offset[rows.row_grid[r] + 1];
  }
  for (size_t i = 1; i < id_begin.size(); ++i) id_begin[i] += id_begin[i - 1];
  for (size_t g = 1; g < offset.size(); ++g) offset[g] += offset[g - 1];
  std::vector<size_t> order(rows.row_grid.size());
  for (uint32_t id : by_name) {
    for (size_t r = id_begin[id]; r < id_begin[id + 1]; ++r) order[offset[rows.row_grid[r]]++] = r;
  }
  return order;
}

// One row per (timestamp, id), sorted by timestamp and then id text, with the node's power.
FeatureTable PerContainer(internal::WorkloadRows rows, const FeatureTable& power) {
  std::vector<size_t> order = TimeThenIdOrder(rows, power.num_rows());
  FeatureTable table;
  table.has_ids = true;
  table.id_names = std::move(rows.id_names);
  for (size_t r : order) {
    table.timestamps.push_back(power.timestamps[rows.row_grid[r]]);
    table.ids.push_back(rows.row_id[r]);
  }
  for (size_t f = 0; f < rows.columns.size(); ++f) {
    std::vector<double> column;
    column.reserve(order.size());
    for (size_t r : order) column.push_back(rows.values[f][r]);
    std::vector<double>().swap(rows.values[f]);
    table.AddColumn(rows.columns[f], std::move(column));
  }
  table.feature_columns = rows.columns;
  for (size_t c = 0; c < power.num_columns(); ++c) {
    std::vector<double> column;
    column.reserve(order.size());
    for (size_t r : order) column.push_back(power.columns[c][rows.row_grid[r]]);
    table.AddColumn(power.column_names[c], std::move(column));
  }
  table.power_columns = power.power_columns;
  return table;
}

// Per row, the value of the first kepler_node_node_info series at or before the row's time.
std::vector<double> NodeTypes(const Capture& capture, const FeatureTable& table,
                              const ExtractOptions& options) {
  if (options.node_type.has_value() || !capture.HasData(kNodeNodeInfoQuery)) {
    return std::vector<double>(table.num_rows(), options.node_type.value_or(0));
  }
  const SeriesTable& info = *capture.Find(kNodeNodeInfoQuery);
  auto times = info.Timestamps(0);
  auto values = info.Values(0);
  std::vector<double> out;
  out.reserve(table.num_rows());
  size_t i = 0;  // rows are sorted by time: walk both
  for (double t : table.timestamps) {
    while (i + 1 < times.size() && times[i + 1] <= t) ++i;
    out.push_back(std::trunc(values[i]));
  }
  return out;
}

absl::StatusOr<FeatureTable> PowerTable(const Capture& capture, const ExtractOptions& options) {
  ASSIGN_OR_RETURN(FeatureTable power, internal::ReadPower(capture, options.energy_source,
                                                          options.use_vm_metrics));
  if (power.num_rows() == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("no timestamps with ", options.energy_source, " power"));
  }
  return power;
}

std::string SystemQuery(const Capture& capture, absl::string_view feature) {
  if (feature == "node_info" && !capture.HasData(kNodeNodeInfoQuery)) {
    return std::string(kNodeInfoQuery);
  }
  return absl::StrCat("kepler_node_", feature);
}

absl::StatusOr<FeatureTable> DefaultExtract(const Capture& capture,
                                            const ExtractOptions& options) {
  const core::FeatureGroups& groups = GroupsOf(options);
  const std::vector<std::string>& features = groups.FeaturesOf(options.feature_group);
  if (features.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "feature group ", core::FeatureGroupName(options.feature_group), " has no features"));
  }
  if (options.feature_group == v1::AcceleratorOnly && !options.node_level) {
    return absl::FailedPreconditionError("AcceleratorOnly has no container-level data");
  }
  ASSIGN_OR_RETURN(FeatureTable power, PowerTable(capture, options));
  std::vector<internal::WorkloadQuery> queries;
  std::vector<internal::WorkloadQuery> system;
  for (const std::string& feature : features) {
    if (Contains(core::SystemFeatures(), feature)) {
      system.push_back({feature, SystemQuery(capture, feature)});
    } else {
      queries.push_back({feature, FeatureQuery(feature, groups, options.use_vm_metrics)});
    }
  }
  internal::WorkloadOptions workload_options{options.use_vm_metrics, options.vm_job_name,
                                             IdLabels(options.use_vm_metrics)};
  ASSIGN_OR_RETURN(internal::WorkloadRows rows,
                   internal::ReadWorkload(capture, queries, power.timestamps, workload_options));
  if (rows.row_grid.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no workload samples at the timestamps with ", options.energy_source, " power"));
  }
  bool aggregated = options.node_level && options.aggregate;
  FeatureTable table = aggregated ? Aggregate(rows, power) : PerContainer(std::move(rows), power);
  RETURN_IF_ERROR(internal::AppendSystemFeatures(capture, system, &table));
  table.AddColumn(std::string(kNodeTypeColumn), NodeTypes(capture, table, options));
  RETURN_IF_ERROR(internal::AppendRatioColumns(capture, IdLabels(options.use_vm_metrics),
                                               &table));
  if (table.num_rows() == 0) {
    return absl::FailedPreconditionError("no rows left after joining the system features");
  }
  return table;
}

class DefaultExtractor : public Extractor {
 public:
  absl::string_view name() const override { return "default"; }
  absl::StatusOr<FeatureTable> Extract(const Capture& capture,
                                       const ExtractOptions& options) const override {
    return DefaultExtract(capture, options);
  }
};

class SmoothExtractor : public Extractor {
 public:
  absl::string_view name() const override { return "smooth"; }
  absl::StatusOr<FeatureTable> Extract(const Capture& capture,
                                       const ExtractOptions& options) const override {
    ASSIGN_OR_RETURN(FeatureTable table, DefaultExtract(capture, options));
    return internal::RollingMean(table, options.smooth_window);
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeDefaultExtractor() { return std::make_unique<DefaultExtractor>(); }
std::unique_ptr<Extractor> MakeSmoothExtractor() { return std::make_unique<SmoothExtractor>(); }

absl::StatusOr<std::unique_ptr<Extractor>> MakeExtractor(absl::string_view name) {
  if (name == "default") return MakeDefaultExtractor();
  if (name == "smooth") return MakeSmoothExtractor();
  return absl::InvalidArgumentError(
      absl::StrCat("unknown extractor \"", name, "\" (want default or smooth)"));
}

absl::StatusOr<FeatureTable> ExtractPower(const Capture& capture, const ExtractOptions& options) {
  ASSIGN_OR_RETURN(FeatureTable power, PowerTable(capture, options));
  power.AddColumn(std::string(kNodeTypeColumn), NodeTypes(capture, power, options));
  return power;
}

std::string FeatureQuery(absl::string_view feature, const core::FeatureGroups& groups,
                         bool use_vm_metrics) {
  if (feature == "node_info") return std::string(kNodeNodeInfoQuery);
  if (Contains(core::SystemFeatures(), feature) ||
      Contains(groups.FeaturesOf(v1::AcceleratorOnly), feature)) {
    return absl::StrCat("kepler_node_", feature);
  }
  if (Contains(groups.FeaturesOf(v1::ThirdParty), feature)) return std::string(feature);
  return absl::StrCat(use_vm_metrics ? "kepler_process_" : "kepler_container_", feature,
                      "_total");
}

std::vector<v1::FeatureGroup> ValidFeatureGroups(const Capture& capture,
                                                 const core::FeatureGroups& groups,
                                                 bool use_vm_metrics) {
  std::vector<std::string> present;
  for (const std::string& feature : groups.FeaturesOf(v1::WorkloadOnly)) {
    if (capture.HasData(FeatureQuery(feature, groups, use_vm_metrics))) present.push_back(feature);
  }
  for (const std::string& feature : core::SystemFeatures()) {
    if (capture.HasData(SystemQuery(capture, feature))) present.push_back(feature);
  }
  return groups.ValidGroups(present);
}

std::vector<int> CaptureNodeTypes(const Capture& capture) {
  std::vector<int> out;
  const SeriesTable* info = capture.Find(kNodeNodeInfoQuery);
  if (info == nullptr) return out;
  for (size_t s = 0; s < info->num_series(); ++s) {
    for (double value : info->Values(s)) {
      if (std::isfinite(value)) out.push_back(static_cast<int>(value));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace kepler::model::trainer
