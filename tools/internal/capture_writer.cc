#include "tools/internal/capture_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace kepler::model::tools::internal {
namespace {

void AppendQuoted(std::string* out, absl::string_view text) {
  out->push_back('"');
  out->append(text.data(), text.size());  // generated names need no escaping
  out->push_back('"');
}

}  // namespace

void AppendFixed(std::string* out, double value, int decimals) {
  if (std::isnan(value)) {
    out->append("NaN");
    return;
  }
  if (std::isinf(value)) {
    out->append(value > 0 ? "+Inf" : "-Inf");
    return;
  }
  double scale = std::pow(10.0, decimals);
  double rounded = std::round(value * scale) / scale;
  if (rounded == 0) rounded = 0;  // no "-0"
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof(buf), rounded, std::chars_format::fixed);
  out->append(buf, result.ptr);
}

void CaptureWriter::BeginQuery(absl::string_view query) {
  if (!first_query_) out_.append("]");
  out_.append(first_query_ ? "" : ", ");
  AppendQuoted(&out_, query);
  out_.append(": [");
  first_query_ = false;
  first_series_ = true;
}

void CaptureWriter::AddSeries(Labels labels, absl::Span<const double> times,
                              absl::Span<const double> values, int decimals) {
  std::sort(labels.begin(), labels.end());
  out_.append(first_series_ ? "{\"metric\": {" : ", {\"metric\": {");
  first_series_ = false;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out_.append(", ");
    AppendQuoted(&out_, labels[i].first);
    out_.append(": ");
    AppendQuoted(&out_, labels[i].second);
  }
  out_.append("}, \"values\": [");
  for (size_t i = 0; i < times.size(); ++i) {
    out_.append(i == 0 ? "[" : ", [");
    AppendFixed(&out_, times[i], 3);
    out_.append(", \"");
    AppendFixed(&out_, values[i], decimals);
    out_.append("\"]");
  }
  out_.append("]}");
}

std::string CaptureWriter::Finish() {
  if (!first_query_) out_.append("]");
  out_.append("}");
  std::string done;
  done.swap(out_);
  out_ = "{";
  first_query_ = true;
  return done;
}

}  // namespace kepler::model::tools::internal
