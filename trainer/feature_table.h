// FeatureTable: the small columnar table that extractors produce and isolators and trainers read.
//
// What: rows keyed by a timestamp and, at container level, an id ("<container_id>/<pod_name>/
// <container_name>/<container_namespace>"), plus named double columns. Each column has a role:
// workload features (model inputs), power columns (labels, watts), and the others (`node_type`,
// package ratios `packge_ratio_<unit>` — the reference's spelling, kept so CSVs stay compatible).
// Why: the reference passes pandas frames around; a plain column-major table with named roles is
// all the trainers need, maps onto Eigen without copying (`Eigen::Map<const VectorXd>(col.data(),
// n)`), and keeps Eigen out of every header that includes it.
// How: build with AddColumn() (every column has num_rows() values); read by name with Column().
// Rows are sorted by timestamp and then by id text.
//
// Thread-safety: a plain value type; const access is safe from many threads.
#ifndef KEPLER_TRAINER_FEATURE_TABLE_H_
#define KEPLER_TRAINER_FEATURE_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace kepler::model::trainer {

// Column and id names shared with the reference's frames and CSVs.
inline constexpr absl::string_view kNodeTypeColumn = "node_type";
inline constexpr absl::string_view kAllContainersId = "all containers";

// "<component>_power", or "package_<unit>_<component>_power" when power is split per package.
std::string PowerColumnName(absl::string_view component, absl::string_view unit = "");
// The component of a power column: "core" for "core_power" and "package_0_core_power".
std::string ComponentOfPowerColumn(absl::string_view column);
// "packge_ratio_<unit>" (sic).
std::string RatioColumnName(absl::string_view unit);
// The container name part of an id with four '/'-separated parts; "" otherwise.
absl::string_view ContainerNameOfId(absl::string_view id);

struct FeatureTable {
  // One per row, ascending.
  std::vector<double> timestamps;
  // Whether rows carry an id (container level and squeezed tables) or not (node level).
  bool has_ids = false;
  // Distinct ids; `ids[row]` indexes it. Both empty when !has_ids.
  std::vector<std::string> id_names;
  std::vector<uint32_t> ids;
  // Column names and values, columns[c][row].
  std::vector<std::string> column_names;
  std::vector<std::vector<double>> columns;
  // Roles, as column names in column order.
  std::vector<std::string> feature_columns;
  std::vector<std::string> power_columns;

  size_t num_rows() const { return timestamps.size(); }
  size_t num_columns() const { return columns.size(); }
  // The id of `row` ("" when the table has no ids).
  absl::string_view IdOf(size_t row) const;
  // Position of column `name`, or -1.
  int ColumnIndex(absl::string_view name) const;
  // Column `name`, or nullptr.
  const std::vector<double>* Column(absl::string_view name) const;
  std::vector<double>* MutableColumn(absl::string_view name);
  // Appends a column; `values` must have num_rows() entries.
  void AddColumn(std::string name, std::vector<double> values);
  // A table with the same columns, roles and id dictionary holding rows `rows` (in that order).
  FeatureTable SelectRows(const std::vector<size_t>& rows) const;
  // OK when every column and the id vector have num_rows() entries, names are unique and every
  // role names an existing column; InvalidArgument naming the first problem otherwise.
  absl::Status Validate() const;
};

// CSV with a header: "timestamp[,id],<columns>"; numbers in shortest round-trip form.
std::string ToCsv(const FeatureTable& table);

// Pearson correlation of each feature column with power, per timestamp: features are summed over
// the rows of a timestamp, the power columns of `component` (the source's first component in the
// reference) are averaged over those rows and then summed across units. One value per
// feature_columns entry; NaN where undefined (constant data or fewer than two timestamps).
std::vector<double> FeatureCorrelations(const FeatureTable& table, absl::string_view component);

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_FEATURE_TABLE_H_
