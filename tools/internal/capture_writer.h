// Writes a capture in the offline trainer's JSON format (internal to //tools:capture_generator).
//
// `{"<query>": [{"metric": {"<label>": "<value>", ...}, "values": [[<t>, "<v>"], ...]}, ...], ...}`
// with Python json.dumps spacing, as tests/data/prom_output/idle.json. Numbers are written as
// Prometheus does (Go's strconv 'f' with the shortest round-trip digits): timestamps as numbers,
// sample values as strings. Values are first rounded to `decimals` places.
//
// Thread-safety: one writer per thread.
#ifndef KEPLER_TOOLS_INTERNAL_CAPTURE_WRITER_H_
#define KEPLER_TOOLS_INTERNAL_CAPTURE_WRITER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace kepler::model::tools::internal {

using Labels = std::vector<std::pair<std::string, std::string>>;

class CaptureWriter {
 public:
  // Starts the list of series of `query`. Queries should be written in sorted order.
  void BeginQuery(absl::string_view query);
  // Appends one series; `labels` are written sorted by name. `times` and `values` have the same
  // length (at least 1).
  void AddSeries(Labels labels, absl::Span<const double> times, absl::Span<const double> values,
                 int decimals);
  // The whole capture; the writer is left empty.
  std::string Finish();

 private:
  std::string out_ = "{";
  bool first_query_ = true;
  bool first_series_ = true;
};

// Appends `value` rounded to `decimals` places, shortest round-trip fixed notation.
void AppendFixed(std::string* out, double value, int decimals);

}  // namespace kepler::model::tools::internal

#endif  // KEPLER_TOOLS_INTERNAL_CAPTURE_WRITER_H_
