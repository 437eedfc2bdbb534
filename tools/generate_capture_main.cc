// generate-capture: writes a synthetic Kepler capture (and optionally its noiseless truth) for
// tests, benchmarks and trying the trainer without a cluster. See tools/capture_generator.h.
//
//   bazel run //tools:generate-capture -- --output=/tmp/capture.json --duration=3600
//       --step=3 --containers=100 --packages=2 --workload=mixed --truth_output=/tmp/truth.json
#include <cstdint>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "core/file_util.h"
#include "tools/capture_generator.h"

ABSL_FLAG(std::string, output, "", "Path of the capture to write (JSON). Required.");
ABSL_FLAG(std::string, truth_output, "", "Path of the noiseless truth (JSON); empty: not written.");
ABSL_FLAG(uint64_t, seed, 1, "Seed of every random choice; the same seed gives the same capture.");
ABSL_FLAG(double, start_time, 1702462599, "Unix time of the first sample.");
ABSL_FLAG(double, duration, 300, "Seconds covered by the capture.");
ABSL_FLAG(double, step, 3, "Seconds between samples (PROM_QUERY_STEP).");
ABSL_FLAG(int, containers, 10, "Containers (the first 4 are system daemons).");
ABSL_FLAG(int, packages, 1, "CPU packages: 1 or 2.");
ABSL_FLAG(int, node_type, 0, "Value of kepler_node_node_info.");
ABSL_FLAG(std::string, workload, "stepped", "idle, stepped or mixed.");
ABSL_FLAG(double, noise_watts, 0.5, "Standard deviation of the power sensor noise (W).");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  namespace tools = kepler::model::tools;
  tools::GeneratorOptions options;
  options.seed = absl::GetFlag(FLAGS_seed);
  options.start_time = absl::GetFlag(FLAGS_start_time);
  options.duration_seconds = absl::GetFlag(FLAGS_duration);
  options.step_seconds = absl::GetFlag(FLAGS_step);
  options.containers = absl::GetFlag(FLAGS_containers);
  options.packages = absl::GetFlag(FLAGS_packages);
  options.node_type = absl::GetFlag(FLAGS_node_type);
  options.noise_watts = absl::GetFlag(FLAGS_noise_watts);
  auto workload = tools::ParseWorkloadProfile(absl::GetFlag(FLAGS_workload));
  const std::string output = absl::GetFlag(FLAGS_output);
  if (!workload.ok() || output.empty()) {
    std::cerr << "generate-capture: "
              << (workload.ok() ? "--output is required" : workload.status().ToString()) << "\n";
    return 2;
  }
  options.workload = *workload;
  auto generated = tools::GenerateCapture(options);
  if (!generated.ok()) {
    std::cerr << "generate-capture: " << generated.status() << "\n";
    return 2;
  }
  absl::Status written = kepler::model::core::WriteFileAtomic(output, generated->json);
  const std::string truth_output = absl::GetFlag(FLAGS_truth_output);
  if (written.ok() && !truth_output.empty()) {
    written = kepler::model::core::WriteFileAtomic(truth_output,
                                                   tools::TruthToJson(generated->truth));
  }
  if (!written.ok()) {
    std::cerr << "generate-capture: " << written << "\n";
    return 1;
  }
  std::cerr << "wrote " << generated->json.size() << " bytes, "
            << generated->truth.timestamps.size() << " samples per series, to " << output << "\n";
  return 0;
}
