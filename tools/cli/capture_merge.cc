#include "tools/cli/capture_merge.h"

#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"

namespace kepler::model::tools::cli {
namespace {

using LabelSet = std::vector<std::pair<std::string, std::string>>;
// Samples of one merged series: timestamp -> value (the first input's value wins).
using Samples = std::map<double, double>;

void AppendNumber(std::string* out, double value) {
  if (std::isnan(value)) {
    out->append("NaN");
  } else if (std::isinf(value)) {
    out->append(value > 0 ? "+Inf" : "-Inf");
  } else {
    char buf[64];
    auto result = std::to_chars(buf, buf + sizeof(buf), value);
    out->append(buf, result.ptr);
  }
}

void AppendJsonString(std::string* out, const std::string& text) {
  out->push_back('"');
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      snprintf(buf, sizeof(buf), "\\u%04x", c);
      out->append(buf);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

// Every series of `query` over all inputs, merged by label set (in order of first appearance).
std::vector<std::pair<LabelSet, Samples>> MergeQuery(
    const std::string& query, const std::vector<const trainer::Capture*>& captures) {
  std::vector<std::pair<LabelSet, Samples>> merged;
  std::map<LabelSet, size_t> index;
  for (const trainer::Capture* capture : captures) {
    const trainer::SeriesTable* table = capture->Find(query);
    if (table == nullptr) continue;
    for (size_t s = 0; s < table->num_series(); ++s) {
      LabelSet labels;
      for (const auto& [name, value] : table->Labels(s)) labels.emplace_back(name, value);
      auto [it, added] = index.emplace(labels, merged.size());
      if (added) merged.push_back({std::move(labels), {}});
      Samples& samples = merged[it->second].second;
      auto times = table->Timestamps(s);
      auto values = table->Values(s);
      for (size_t i = 0; i < times.size(); ++i) samples.emplace(times[i], values[i]);
    }
  }
  return merged;
}

void AppendSeries(std::string* out, const LabelSet& labels, const Samples& samples) {
  out->append("{\"metric\": {");
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out->append(", ");
    AppendJsonString(out, labels[i].first);
    out->append(": ");
    AppendJsonString(out, labels[i].second);
  }
  out->append("}, \"values\": [");
  bool first = true;
  for (const auto& [time, value] : samples) {
    out->append(first ? "[" : ", [");
    first = false;
    AppendNumber(out, time);
    out->append(", \"");
    AppendNumber(out, value);
    out->append("\"]");
  }
  out->append("]}");
}

}  // namespace

std::string MergeCaptures(const std::vector<const trainer::Capture*>& captures) {
  std::set<std::string> queries;
  for (const trainer::Capture* capture : captures) {
    for (std::string& name : capture->QueryNames()) queries.insert(std::move(name));
  }
  std::string out = "{";
  bool first_query = true;
  for (const std::string& query : queries) {
    if (!first_query) out.append(", ");
    first_query = false;
    AppendJsonString(&out, query);
    out.append(": [");
    bool first_series = true;
    for (const auto& [labels, samples] : MergeQuery(query, captures)) {
      if (!first_series) out.append(", ");
      first_series = false;
      AppendSeries(&out, labels, samples);
    }
    out.append("]");
  }
  out.append("}");
  return out;
}

}  // namespace kepler::model::tools::cli
