// A small SVG chart writer: lines and scatter points on linear axes, with ticks, labels, a
// title, a legend (right of the plot area) and an optional y = x reference line.
//
// What: RenderSvg turns a Chart into a standalone SVG 1.1 document (UTF-8, no scripts, no external
// references) that browsers and image viewers open directly. The plot area spans the data range
// of every series (and 0 when `include_zero`), widened to "nice" tick values (1, 2, 2.5, 5 x 10^k).
// Text is XML-escaped; non-finite points are skipped; a marker series of more than
// `max_markers` points is thinned evenly so files stay small.
// Why: `kepler-model plot` must produce pictures a person can open without Python or gnuplot;
// SVG is text, so a few hundred lines of C++ suffice and tests can parse the result as XML.
// How:
//   Chart chart;
//   chart.title = "SGDRegressorTrainer_0: predicted vs measured";
//   chart.x_label = "measured (W)";
//   chart.y_label = "predicted (W)";
//   chart.diagonal = true;
//   chart.series.push_back({"package", kPalette[0], ChartSeries::kMarkers, points});
//   std::string svg = RenderSvg(chart);
//
// Thread-safety: pure functions.
#ifndef KEPLER_TOOLS_CLI_SVG_CHART_H_
#define KEPLER_TOOLS_CLI_SVG_CHART_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace kepler::model::tools::cli {

// Distinguishable colours (Tableau 10), for series in order.
inline constexpr const char* kPalette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                           "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

struct ChartSeries {
  enum Style { kLine, kMarkers };
  std::string name;   // legend text
  std::string color;  // any SVG colour, e.g. "#4e79a7"
  Style style = kLine;
  std::vector<std::pair<double, double>> points;  // (x, y); lines are drawn in this order
};

struct Chart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<ChartSeries> series;
  // Draw the dashed y = x line (predicted against measured).
  bool diagonal = false;
  // Extend both axes to 0 (watts and rates are non-negative).
  bool include_zero = true;
  int width = 900;
  int height = 500;
  size_t max_markers = 3000;
};

// The SVG document.
std::string RenderSvg(const Chart& chart);

// About `target` evenly spaced round values covering [low, high] (first <= low, last >= high).
std::vector<double> NiceTicks(double low, double high, int target = 6);

// `text` with &, <, >, " and ' escaped for XML.
std::string XmlEscape(absl::string_view text);

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_SVG_CHART_H_
