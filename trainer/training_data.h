// The X and y one trainer fits for one component (contract §7.2 step 3, `apply_ratio`).
//
// Without per-package label columns (acpi, and rapl when the usage-ratio metric is absent, the
// usual case) X is the feature columns and y the sum of the component's power columns. With
// per-package labels (`package_<u>_<component>_power` beside `packge_ratio_<u>`), the workload
// is split by each package's usage ratio: X = Σ_u X·ratio_u and y = Σ_u y_u.
#ifndef KEPLER_TRAINER_TRAINING_DATA_H_
#define KEPLER_TRAINER_TRAINING_DATA_H_

#include <string>
#include <vector>

#include "Eigen/Core"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "trainer/feature_table.h"

namespace kepler::model::trainer {

struct ComponentData {
  Eigen::MatrixXd x;  // rows x features, unscaled
  Eigen::VectorXd y;  // watts
};

// Rows `rows` of `table` for `component`. InvalidArgument when a feature column is missing or
// the component has no power column.
absl::StatusOr<ComponentData> DataForComponent(const FeatureTable& table,
                                               const std::vector<std::string>& features,
                                               absl::string_view component,
                                               const std::vector<size_t>& rows);

// Rows of `table` whose node_type column equals `node_type` (all rows when there is no column
// and node_type is 0).
std::vector<size_t> RowsOfNodeType(const FeatureTable& table, int node_type);

// Distinct node types of `table`, ascending ({0} when it has no node_type column).
std::vector<int> NodeTypesOf(const FeatureTable& table);

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_TRAINING_DATA_H_
