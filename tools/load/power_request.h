// Builds estimator PowerRequest JSON of a chosen size for the socket driver.
//
// What: a legacy PowerRequest (spec/kepler-clients.md §2) with `rows` rows of
// `metrics` metric values: the model's feature names first, then filler
// metrics "extra_metric_<i>" (the estimator ignores metrics a model does not
// use, as Kepler's requests carry many), plus Kepler's two system features.
// Why: issue 4's targets are stated per request size (1, 100 and 1,000 rows;
// 10 metrics); building the request in the driver keeps the benchmark script
// free of generated fixture files.
// How: values are pseudo-random but reproducible (seeded), in the ranges the
// bundled BPFOnly models were trained on (CPU time up to 120,000 ms, other
// counters up to 4), written with six significant digits.
//
//   PowerRequestSpec spec;
//   spec.rows = 100;
//   spec.metrics = 10;
//   std::string body = BuildPowerRequest(spec);
//
// Thread-safety: a pure function.
#ifndef KEPLER_TOOLS_LOAD_POWER_REQUEST_H_
#define KEPLER_TOOLS_LOAD_POWER_REQUEST_H_

#include <cstdint>
#include <string>
#include <vector>

namespace kepler::model::tools {

struct PowerRequestSpec {
  // Feature names the model needs, listed first. Default the BPFOnly group.
  std::vector<std::string> features = {"bpf_cpu_time_ms", "bpf_page_cache_hit"};
  // Total number of metrics per row; below features.size() means exactly the
  // features. Default 0.
  int metrics = 0;
  // Number of rows. Default 1.
  int rows = 1;
  // Energy source, output type and trainer name as sent. Defaults: Kepler's
  // rapl-sysfs AbsPower request with no trainer preference.
  std::string source = "rapl-sysfs";
  std::string output_type = "AbsPower";
  std::string trainer_name;
  // Seed of the value generator. Default 1.
  uint32_t seed = 1;
};

// The request JSON (compact, one line, no trailing newline).
std::string BuildPowerRequest(const PowerRequestSpec& spec);

}  // namespace kepler::model::tools

#endif  // KEPLER_TOOLS_LOAD_POWER_REQUEST_H_
