// Helpers for writing the Prometheus text exposition format.
#ifndef KEPLER_CORE_PROMETHEUS_TEXT_H_
#define KEPLER_CORE_PROMETHEUS_TEXT_H_

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

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_PROMETHEUS_TEXT_H_
