#include "tools/capture_openmetrics.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/prometheus_text.h"

namespace kepler::model::tools {
namespace {

// `name{a="x",b="y"}` of one series (without `__name__`).
std::string SeriesName(const trainer::SeriesTable& table, size_t series) {
  std::string out = table.query();
  bool first = true;
  for (const auto& [name, value] : table.Labels(series)) {
    if (name == "__name__") continue;
    absl::StrAppend(&out, first ? "{" : ",", name, "=\"", core::EscapeLabelValue(value), "\"");
    first = false;
  }
  if (!first) out.push_back('}');
  return out;
}

}  // namespace

std::string CaptureToOpenMetrics(const trainer::Capture& capture, double time_offset) {
  std::string out;
  for (const std::string& query : capture.QueryNames()) {
    const trainer::SeriesTable& table = *capture.Find(query);
    for (size_t s = 0; s < table.num_series(); ++s) {
      const std::string name = SeriesName(table, s);
      auto times = table.Timestamps(s);
      auto values = table.Values(s);
      for (size_t i = 0; i < times.size(); ++i) {
        absl::StrAppend(&out, name, " ", core::FormatSampleValue(values[i]), " ",
                        absl::StrFormat("%.3f", times[i] + time_offset), "\n");
      }
    }
  }
  out += "# EOF\n";
  return out;
}

std::string ExpositionAt(const trainer::Capture& capture, double time) {
  std::string out;
  for (const std::string& query : capture.QueryNames()) {
    const trainer::SeriesTable& table = *capture.Find(query);
    for (size_t s = 0; s < table.num_series(); ++s) {
      auto times = table.Timestamps(s);
      size_t after = std::upper_bound(times.begin(), times.end(), time) - times.begin();
      if (after == 0) continue;
      absl::StrAppend(&out, SeriesName(table, s), " ",
                      core::FormatSampleValue(table.Values(s)[after - 1]), "\n");
    }
  }
  return out;
}

std::pair<double, double> CaptureTimeRange(const trainer::Capture& capture) {
  double first = std::numeric_limits<double>::infinity();
  double last = -first;
  for (const std::string& query : capture.QueryNames()) {
    const trainer::SeriesTable& table = *capture.Find(query);
    for (size_t s = 0; s < table.num_series(); ++s) {
      auto times = table.Timestamps(s);
      if (times.empty()) continue;
      first = std::min(first, times.front());
      last = std::max(last, times.back());
    }
  }
  return first <= last ? std::make_pair(first, last) : std::make_pair(0.0, 0.0);
}

}  // namespace kepler::model::tools
