#include "tools/load/power_request.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace kepler::model::tools {
namespace {

std::vector<std::string> MetricNames(const PowerRequestSpec& spec) {
  std::vector<std::string> names = spec.features;
  for (int i = 0; static_cast<int>(names.size()) < spec.metrics; ++i) {
    names.push_back(absl::StrCat("extra_metric_", i));
  }
  return names;
}

std::string Rows(const PowerRequestSpec& spec, size_t metric_count) {
  std::mt19937 rng(spec.seed);
  std::uniform_real_distribution<double> cpu(0, 120000), counter(0, 4);
  std::string rows = "[";
  for (int r = 0; r < spec.rows; ++r) {
    absl::StrAppend(&rows, r ? ",[" : "[");
    for (size_t m = 0; m < metric_count; ++m) {
      absl::StrAppend(&rows, m ? "," : "", m == 0 ? cpu(rng) : counter(rng));
    }
    rows.push_back(']');
  }
  rows.push_back(']');
  return rows;
}

}  // namespace

std::string BuildPowerRequest(const PowerRequestSpec& spec) {
  std::vector<std::string> names = MetricNames(spec);
  return absl::StrCat(R"({"metrics":[")", absl::StrJoin(names, R"(",")"), R"("],"values":)",
                      Rows(spec, names.size()), R"(,"output_type":")", spec.output_type,
                      R"(","source":")", spec.source, R"(","trainer_name":")", spec.trainer_name,
                      R"(","filter":"","system_features":["node_info","cpu_scaling_frequency_hertz"],)",
                      R"("system_values":["1","2000"]})");
}

}  // namespace kepler::model::tools
