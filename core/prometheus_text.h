// Helpers for writing the Prometheus text exposition format.
#ifndef KEPLER_CORE_PROMETHEUS_TEXT_H_
#define KEPLER_CORE_PROMETHEUS_TEXT_H_

#include <charconv>
#include <cmath>
#include <string>

#include "absl/strings/string_view.h"

namespace kepler::model::core {

// Escapes a label value: backslash, double quote and newline, as the format requires.
inline std::string EscapeLabelValue(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\\' || c == '"') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// A sample value in shortest round-trip form ("305.148172889668", "1e-05"), NaN and +/-Inf as
// the format spells them.
inline std::string FormatSampleValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::general);
  return std::string(buffer, result.ptr);
}

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_PROMETHEUS_TEXT_H_
