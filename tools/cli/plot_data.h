// The numbers behind `kepler-model plot`: a model evaluated on the rows of a capture.
//
// What: ComputePlotData evaluates `model` on every row of an extracted (or isolated) table and
// pairs each component's prediction with the measured power of that row (the sum of the table's
// power columns of the component, over packages), and traces the model's power curve: watts as
// the group's main feature (e.g. bpf_cpu_time_ms) sweeps from 0 to 105% of its largest value
// while every other feature stays at its median.
// Why: predicted-versus-measured shows where a model is wrong; the curve shows what it learned.
//
// Thread-safety: a pure function; the model is only read.
#ifndef KEPLER_TOOLS_CLI_PLOT_DATA_H_
#define KEPLER_TOOLS_CLI_PLOT_DATA_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/model.h"
#include "kepler/model/v1/types.pb.h"
#include "trainer/feature_table.h"

namespace kepler::model::tools::cli {

struct ComponentPlot {
  std::string component;
  // One value per table row; `measured` is empty when the table has no power of the component.
  std::vector<double> measured;
  std::vector<double> predicted;
  // Mean absolute error over the rows (NaN without measurements).
  double mae = 0;
  // Predicted watts at each ModelPlotData::curve_x.
  std::vector<double> curve;
};

struct ModelPlotData {
  std::string main_feature;
  std::vector<double> main_values;  // the main feature, per row
  std::vector<double> curve_x;
  std::vector<ComponentPlot> components;  // in the model's component order
};

// Points on the curve. Default 60.
inline constexpr int kCurvePoints = 60;

// InvalidArgument when the table lacks a feature the model reads or has no rows; the model's
// own errors otherwise.
absl::StatusOr<ModelPlotData> ComputePlotData(const core::Model& model,
                                              const trainer::FeatureTable& table,
                                              v1::FeatureGroup group);

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_PLOT_DATA_H_
