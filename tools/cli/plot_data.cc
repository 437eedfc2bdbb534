#include "tools/cli/plot_data.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "core/feature_group.h"
#include "core/status_macros.h"

namespace kepler::model::tools::cli {
namespace {

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  return values[mid];
}

// The feature the curve sweeps: the group's main feature when the model reads it, else the
// model's first feature.
std::string MainFeature(const core::Model& model, v1::FeatureGroup group) {
  const core::FeatureGroups& groups = core::FeatureGroups::Default();
  int index = groups.MainFeatureIndex(group, "package");
  const auto& features = model.features();
  if (index >= 0) {
    const std::string& name = groups.FeaturesOf(group)[index];
    if (std::find(features.begin(), features.end(), name) != features.end()) return name;
  }
  return features.empty() ? "" : features.front();
}

absl::StatusOr<core::FeatureTable> ModelRows(const core::Model& model,
                                             const trainer::FeatureTable& table) {
  core::FeatureTable rows;
  rows.columns = model.features();
  std::vector<const std::vector<double>*> columns;
  for (const std::string& name : rows.columns) {
    const std::vector<double>* column = table.Column(name);
    if (column == nullptr)
      return absl::InvalidArgumentError(absl::StrCat("the data has no feature ", name));
    columns.push_back(column);
  }
  rows.values.reserve(table.num_rows() * columns.size());
  for (size_t r = 0; r < table.num_rows(); ++r) {
    for (const auto* column : columns) rows.values.push_back((*column)[r]);
  }
  return rows;
}

std::vector<double> Measured(const trainer::FeatureTable& table, const std::string& component) {
  std::vector<double> sum;
  for (const std::string& name : table.power_columns) {
    if (trainer::ComponentOfPowerColumn(name) != component) continue;
    const std::vector<double>& column = *table.Column(name);
    if (sum.empty()) sum.assign(column.size(), 0);
    for (size_t r = 0; r < column.size(); ++r) sum[r] += column[r];
  }
  return sum;
}

double MeanAbsoluteError(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.empty() || a.size() != b.size()) return std::numeric_limits<double>::quiet_NaN();
  double total = 0;
  for (size_t i = 0; i < a.size(); ++i) total += std::abs(a[i] - b[i]);
  return total / a.size();
}

// Rows of the sweep: the main feature from 0 to 105% of its maximum, the others at medians.
core::FeatureTable CurveRows(const core::FeatureTable& rows, int main, std::vector<double>* xs) {
  size_t width = rows.columns.size(), n = rows.rows();
  std::vector<double> medians(width);
  double top = 0;
  for (size_t c = 0; c < width; ++c) {
    std::vector<double> column(n);
    for (size_t r = 0; r < n; ++r) column[r] = rows.values[r * width + c];
    medians[c] = Median(column);
    if (static_cast<int>(c) == main) top = *std::max_element(column.begin(), column.end());
  }
  core::FeatureTable curve{rows.columns, {}};
  for (int i = 0; i < kCurvePoints; ++i) {
    double x = std::max(top, 1e-9) * 1.05 * i / (kCurvePoints - 1);
    xs->push_back(x);
    for (size_t c = 0; c < width; ++c)
      curve.values.push_back(static_cast<int>(c) == main ? x : medians[c]);
  }
  return curve;
}

}  // namespace

absl::StatusOr<ModelPlotData> ComputePlotData(const core::Model& model,
                                              const trainer::FeatureTable& table,
                                              v1::FeatureGroup group) {
  if (table.num_rows() == 0) return absl::InvalidArgumentError("the data has no rows");
  if (model.features().empty()) return absl::InvalidArgumentError("the model reads no feature");
  ASSIGN_OR_RETURN(core::FeatureTable rows, ModelRows(model, table));
  ASSIGN_OR_RETURN(core::ComponentPowers predicted, model.Predict(rows));
  ModelPlotData data;
  data.main_feature = MainFeature(model, group);
  int main =
      static_cast<int>(std::find(rows.columns.begin(), rows.columns.end(), data.main_feature) -
                       rows.columns.begin());
  data.main_values = *table.Column(data.main_feature);
  core::FeatureTable curve_rows = CurveRows(rows, main, &data.curve_x);
  ASSIGN_OR_RETURN(core::ComponentPowers curve, model.Predict(curve_rows));
  for (size_t c = 0; c < model.components().size(); ++c) {
    ComponentPlot plot;
    plot.component = model.components()[c];
    plot.measured = Measured(table, plot.component);
    plot.predicted = std::move(predicted[c]);
    plot.mae = MeanAbsoluteError(plot.measured, plot.predicted);
    plot.curve = std::move(curve[c]);
    data.components.push_back(std::move(plot));
  }
  return data;
}

}  // namespace kepler::model::tools::cli
