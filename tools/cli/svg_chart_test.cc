#include "tools/cli/svg_chart.h"

#include <cmath>

#include "gtest/gtest.h"
#include "tools/cli/testing/xml_summary.h"

namespace kepler::model::tools::cli {
namespace {

using testing::SummarizeXml;

Chart Example() {
  Chart chart;
  chart.title = "SGD <package> & \"core\"";
  chart.x_label = "bpf_cpu_time_ms (ms/s)";
  chart.y_label = "power (W)";
  chart.series.push_back(
      {"package model", kPalette[0], ChartSeries::kLine, {{0, 40}, {500, 80}, {1000, 120}}});
  chart.series.push_back({"package measured",
                          kPalette[0],
                          ChartSeries::kMarkers,
                          {{100, 50}, {900, 115}, {NAN, 3}, {400, INFINITY}}});
  return chart;
}

TEST(SvgChartTest, IsWellFormedSvgWithAxesLegendAndSeries) {
  std::string svg = RenderSvg(Example());
  auto xml = SummarizeXml(svg);
  ASSERT_TRUE(xml.ok()) << xml.status() << "\n" << svg;
  EXPECT_EQ(xml->root, "svg");
  EXPECT_EQ(xml->elements["title"], 1);
  EXPECT_EQ(xml->elements["polyline"], 1);
  EXPECT_EQ(xml->elements["circle"], 2 + 1) << "two finite points and one legend marker";
  EXPECT_GE(xml->elements["line"], 8) << "grid lines and the legend swatch";
  EXPECT_NE(xml->text.find("SGD <package> & \"core\""), std::string::npos)
      << "escaped, then read back";
  EXPECT_NE(xml->text.find("bpf_cpu_time_ms (ms/s)"), std::string::npos);
  EXPECT_NE(xml->text.find("package measured"), std::string::npos);
  EXPECT_NE(xml->text.find("1000"), std::string::npos) << "x tick label";
  EXPECT_NE(xml->text.find("120"), std::string::npos) << "y tick label";
  EXPECT_NE(svg.find("xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
}

TEST(SvgChartTest, DiagonalAndThinnedMarkers) {
  Chart chart;
  chart.diagonal = true;
  chart.max_markers = 100;
  ChartSeries points{"package", kPalette[1], ChartSeries::kMarkers, {}};
  for (int i = 0; i < 1000; ++i) points.points.push_back({i * 0.1, i * 0.1 + 1});
  chart.series.push_back(points);
  auto xml = SummarizeXml(RenderSvg(chart));
  ASSERT_TRUE(xml.ok()) << xml.status();
  EXPECT_EQ(xml->elements["circle"], 100 + 1);
  EXPECT_NE(RenderSvg(chart).find("class=\"diagonal\""), std::string::npos);
}

TEST(SvgChartTest, EmptyAndConstantChartsStillRender) {
  EXPECT_TRUE(SummarizeXml(RenderSvg(Chart{})).ok());
  Chart flat;
  flat.include_zero = false;
  flat.series.push_back({"flat", "red", ChartSeries::kLine, {{5, 5}, {5, 5}}});
  EXPECT_TRUE(SummarizeXml(RenderSvg(flat)).ok());
}

TEST(SvgChartTest, NiceTicksCoverTheRangeWithRoundSteps) {
  EXPECT_EQ(NiceTicks(0, 120), (std::vector<double>{0, 20, 40, 60, 80, 100, 120}));
  std::vector<double> unit = NiceTicks(0, 1);
  ASSERT_EQ(unit.size(), 6u);
  for (size_t i = 0; i < unit.size(); ++i) EXPECT_NEAR(unit[i], 0.2 * i, 1e-12);
  std::vector<double> ticks = NiceTicks(13, 97);
  EXPECT_LE(ticks.front(), 13);
  EXPECT_GE(ticks.back(), 97);
}

TEST(SvgChartTest, EscapesXmlSpecials) {
  EXPECT_EQ(XmlEscape("a<b>&'\""), "a&lt;b&gt;&amp;&apos;&quot;");
}

}  // namespace
}  // namespace kepler::model::tools::cli
