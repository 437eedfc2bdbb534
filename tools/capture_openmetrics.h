// A capture rendered as Prometheus input: OpenMetrics text for backfilling, or the exposition a
// scrape of Kepler's /metrics would return at one moment.
//
// What: CaptureToOpenMetrics() writes every sample of every series of a capture
// (trainer/capture.h) as `name{labels} value timestamp` lines, series by series, ending in
// `# EOF`: the input of `promtool tsdb create-blocks-from openmetrics`. ExpositionAt() writes,
// for one capture time, each series' latest sample at or before it (series with none yet are left
// out), without timestamps: what Prometheus would scrape from a live exporter then.
// Why: integration tests put generated captures (tools/capture_generator.h) into a real
// Prometheus, backfilled in one step or scraped live from tools:capture-exporter, and read them
// back through the HTTP API as the online trainer does.
// How: labels keep their names and values (`__name__` becomes the metric name), sorted by name,
// values escaped; sample values in shortest round-trip form (NaN, +Inf, -Inf as the format
// spells them); timestamps in seconds with millisecond precision, shifted by `time_offset`.
//
// Thread-safety: pure functions.
#ifndef KEPLER_TOOLS_CAPTURE_OPENMETRICS_H_
#define KEPLER_TOOLS_CAPTURE_OPENMETRICS_H_

#include <string>

#include "trainer/capture.h"

namespace kepler::model::tools {

// Every sample as OpenMetrics text; timestamps moved by `time_offset` seconds.
std::string CaptureToOpenMetrics(const trainer::Capture& capture, double time_offset = 0);

// The text exposition (format 0.0.4) of each series' latest sample at or before `time` (capture
// time, seconds).
std::string ExpositionAt(const trainer::Capture& capture, double time);

// First and last sample time over the whole capture; {0, 0} when it has no samples.
std::pair<double, double> CaptureTimeRange(const trainer::Capture& capture);

}  // namespace kepler::model::tools

#endif  // KEPLER_TOOLS_CAPTURE_OPENMETRICS_H_
