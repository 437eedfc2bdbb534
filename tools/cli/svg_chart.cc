#include "tools/cli/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace kepler::model::tools::cli {
namespace {

constexpr double kLeft = 80, kRight = 20, kTop = 50, kBottom = 60, kLegendWidth = 200;

struct Range {
  double low = std::numeric_limits<double>::infinity();
  double high = -std::numeric_limits<double>::infinity();
  void Add(double v) {
    low = std::min(low, v);
    high = std::max(high, v);
  }
};

// Maps data coordinates to pixels.
struct Frame {
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;            // data range
  double left = 0, right = 1, top = 0, bottom = 1;  // pixel box
  double X(double x) const { return left + (x - x0) / (x1 - x0) * (right - left); }
  double Y(double y) const { return bottom - (y - y0) / (y1 - y0) * (bottom - top); }
};

std::string Num(double v) { return absl::StrFormat("%.1f", v); }

std::string TickLabel(double v, double step) {
  if (v == 0) return "0";
  int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  if (std::abs(v) >= 1e6 || std::abs(v) < 1e-4) return absl::StrFormat("%.3g", v);
  return absl::StrFormat("%.*f", std::min(decimals, 6), v);
}

void DataRanges(const Chart& chart, Range* x, Range* y) {
  for (const ChartSeries& series : chart.series) {
    for (const auto& [px, py] : series.points) {
      if (!std::isfinite(px) || !std::isfinite(py)) continue;
      x->Add(px);
      y->Add(py);
    }
  }
  if (chart.include_zero) {
    x->Add(0);
    y->Add(0);
  }
  if (chart.diagonal) {  // a square picture of y = x needs the same range on both axes
    Range both = *x;
    both.Add(y->low);
    both.Add(y->high);
    *x = *y = both;
  }
  for (Range* r : {x, y}) {
    if (!std::isfinite(r->low)) *r = Range{0, 1};
    if (r->high - r->low < 1e-12) r->high = r->low + 1;
  }
}

void AppendLine(std::string* svg, double x1, double y1, double x2, double y2,
                absl::string_view attributes = "") {
  absl::StrAppend(svg, "<line x1=\"", Num(x1), "\" y1=\"", Num(y1), "\" x2=\"", Num(x2), "\" y2=\"",
                  Num(y2), "\"", attributes.empty() ? "" : " ", attributes, "/>\n");
}

void AppendText(std::string* svg, double x, double y, absl::string_view anchor,
                absl::string_view text, absl::string_view attributes = "") {
  absl::StrAppend(svg, "<text x=\"", Num(x), "\" y=\"", Num(y), "\" text-anchor=\"", anchor, "\"",
                  attributes.empty() ? "" : " ", attributes, ">", XmlEscape(text), "</text>\n");
}

void AppendAxes(std::string* svg, const Chart& chart, const Frame& f, const std::vector<double>& xt,
                const std::vector<double>& yt) {
  absl::StrAppend(svg, "<g class=\"grid\" stroke=\"#e0e0e0\" stroke-width=\"1\">\n");
  for (double t : xt) AppendLine(svg, f.X(t), f.top, f.X(t), f.bottom);
  for (double t : yt) AppendLine(svg, f.left, f.Y(t), f.right, f.Y(t));
  absl::StrAppend(svg, "</g>\n<rect class=\"frame\" x=\"", Num(f.left), "\" y=\"", Num(f.top),
                  "\" width=\"", Num(f.right - f.left), "\" height=\"", Num(f.bottom - f.top),
                  "\" fill=\"none\" stroke=\"#333\"/>\n");
  absl::StrAppend(svg, "<g class=\"ticks\" font-size=\"12\" fill=\"#333\">\n");
  double xstep = xt.size() > 1 ? xt[1] - xt[0] : 1;
  double ystep = yt.size() > 1 ? yt[1] - yt[0] : 1;
  for (double t : xt) AppendText(svg, f.X(t), f.bottom + 18, "middle", TickLabel(t, xstep));
  for (double t : yt) AppendText(svg, f.left - 8, f.Y(t) + 4, "end", TickLabel(t, ystep));
  absl::StrAppend(svg, "</g>\n");
  double middle_y = (f.top + f.bottom) / 2;
  AppendText(svg, (f.left + f.right) / 2, f.bottom + 45, "middle", chart.x_label,
             "class=\"x-label\" font-size=\"14\"");
  AppendText(svg, 20, middle_y, "middle", chart.y_label,
             absl::StrCat("class=\"y-label\" font-size=\"14\" transform=\"rotate(-90 20 ",
                          Num(middle_y), ")\""));
}

void AppendSeries(std::string* svg, const ChartSeries& series, const Frame& f, size_t max_markers) {
  auto finite = [](const std::pair<double, double>& p) {
    return std::isfinite(p.first) && std::isfinite(p.second);
  };
  if (series.style == ChartSeries::kLine) {
    absl::StrAppend(svg, "<polyline class=\"series\" fill=\"none\" stroke-width=\"2\" stroke=\"",
                    XmlEscape(series.color), "\" points=\"");
    for (const auto& point : series.points) {
      if (finite(point))
        absl::StrAppend(svg, Num(f.X(point.first)), ",", Num(f.Y(point.second)), " ");
    }
    absl::StrAppend(svg, "\"/>\n");
    return;
  }
  size_t limit = std::max<size_t>(1, max_markers);
  size_t stride = std::max<size_t>(1, (series.points.size() + limit - 1) / limit);
  absl::StrAppend(svg, "<g class=\"series\" fill=\"", XmlEscape(series.color),
                  "\" fill-opacity=\"0.55\">\n");
  for (size_t i = 0; i < series.points.size(); i += stride) {
    const auto& point = series.points[i];
    if (!finite(point)) continue;
    absl::StrAppend(svg, "<circle cx=\"", Num(f.X(point.first)), "\" cy=\"", Num(f.Y(point.second)),
                    "\" r=\"2.5\"/>\n");
  }
  absl::StrAppend(svg, "</g>\n");
}

void AppendLegend(std::string* svg, const Chart& chart, const Frame& f) {
  if (chart.series.empty()) return;
  double x = f.right + 15;  // the legend sits right of the plot area
  absl::StrAppend(svg, "<g class=\"legend\" font-size=\"12\">\n<rect x=\"", Num(x), "\" y=\"",
                  Num(f.top), "\" width=\"", Num(kLegendWidth - 15), "\" height=\"",
                  Num(8 + 18.0 * chart.series.size()), "\" fill=\"white\" stroke=\"#999\"/>\n");
  for (size_t i = 0; i < chart.series.size(); ++i) {
    const ChartSeries& s = chart.series[i];
    double y = f.top + 18 + 18.0 * i;
    if (s.style == ChartSeries::kLine) {
      AppendLine(svg, x + 8, y - 4, x + 28, y - 4,
                 absl::StrCat("stroke-width=\"2\" stroke=\"", XmlEscape(s.color), "\""));
    } else {
      absl::StrAppend(svg, "<circle cx=\"", Num(x + 18), "\" cy=\"", Num(y - 4),
                      "\" r=\"4\" fill=\"", XmlEscape(s.color), "\"/>\n");
    }
    AppendText(svg, x + 36, y, "start", s.name);
  }
  absl::StrAppend(svg, "</g>\n");
}

}  // namespace

std::string XmlEscape(absl::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::vector<double> NiceTicks(double low, double high, int target) {
  if (!(high > low)) return {low};
  double raw = (high - low) / std::max(1, target);
  double magnitude = std::pow(10, std::floor(std::log10(raw)));
  double step = magnitude * 10;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  }
  std::vector<double> ticks;
  double first = std::floor(low / step) * step;
  for (double t = first; t < high + step * 0.999; t += step)
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

std::string RenderSvg(const Chart& chart) {
  Range x, y;
  DataRanges(chart, &x, &y);
  std::vector<double> xt = NiceTicks(x.low, x.high);
  std::vector<double> yt = NiceTicks(y.low, y.high);
  Frame f;
  f.x0 = xt.front();
  f.x1 = std::max(xt.back(), f.x0 + 1e-9);
  f.y0 = yt.front();
  f.y1 = std::max(yt.back(), f.y0 + 1e-9);
  f.left = kLeft;
  f.right = chart.width - kRight - (chart.series.empty() ? 0 : kLegendWidth);
  f.top = kTop;
  f.bottom = chart.height - kBottom;
  std::string svg =
      absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"",
                   chart.width, "\" height=\"", chart.height, "\" viewBox=\"0 0 ", chart.width, " ",
                   chart.height, "\" font-family=\"sans-serif\">\n<title>", XmlEscape(chart.title),
                   "</title>\n", "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
  AppendText(&svg, chart.width / 2.0, 28, "middle", chart.title,
             "class=\"title\" font-size=\"16\" font-weight=\"bold\"");
  AppendAxes(&svg, chart, f, xt, yt);
  if (chart.diagonal) {
    double lo = std::max(f.x0, f.y0), hi = std::min(f.x1, f.y1);
    AppendLine(&svg, f.X(lo), f.Y(lo), f.X(hi), f.Y(hi),
               "class=\"diagonal\" stroke=\"#666\" stroke-dasharray=\"6 4\"");
  }
  for (const ChartSeries& series : chart.series) AppendSeries(&svg, series, f, chart.max_markers);
  AppendLegend(&svg, chart, f);
  absl::StrAppend(&svg, "</svg>\n");
  return svg;
}

}  // namespace kepler::model::tools::cli
