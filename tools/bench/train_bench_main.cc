// train-bench: the full training pipeline, end to end from a capture file to the published
// pipeline folder, timed, with the process's peak resident memory (issue 6 "Speed and size").
//
//   bazel run -c opt //tools:train-bench -- --capture=/tmp/c2h.json --output_dir=/tmp/bench-out
//   RESULT capture_mb=36.09 read_s=0.03 parse_s=0.21 extract_s=... train_s=... publish_s=...
//          total_s=... models=... skipped=... vmhwm_mb=... vmhwm_over_capture=...
//
// Defaults are the workload: ten trainers for abs and dyn, every valid feature group,
// rapl-sysfs and acpi, the min isolator. Generate captures with //tools:generate-capture
// (tools/bench/train_bench.sh does both). Run one measurement per process: VmHWM is the peak
// of the whole process.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_split.h"
#include "core/file_util.h"
#include "core/trainer_name.h"
#include "tools/load/proc_status.h"
#include "trainer/capture.h"
#include "trainer/isolator.h"
#include "trainer/pipeline.h"

ABSL_FLAG(std::string, capture, "", "Capture file (JSON) to train from. Required.");
ABSL_FLAG(std::string, output_dir, "/tmp/train-bench/std_v0.7.11", "Pipeline folder to write.");
ABSL_FLAG(std::string, sources, "rapl-sysfs,acpi", "Energy sources, comma-separated.");
ABSL_FLAG(std::string, isolator, "min", "none or min.");
ABSL_FLAG(std::string, trainers, "", "Trainers, comma-separated (default: all ten).");
ABSL_FLAG(int, threads, 0, "Worker threads (0: one per core).");
ABSL_FLAG(bool, models, false, "Also print every model's name, group and mae.");

namespace kt = kepler::model::trainer;
namespace v1 = kepler::model::v1;

namespace {

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

kt::PipelineOptions BenchOptions() {
  kt::PipelineOptions options;
  options.energy_sources = absl::StrSplit(absl::GetFlag(FLAGS_sources), ',', absl::SkipEmpty());
  options.abs_trainers = kepler::model::core::AllTrainers();
  if (!absl::GetFlag(FLAGS_trainers).empty()) {
    options.abs_trainers.clear();
    for (absl::string_view name : absl::StrSplit(absl::GetFlag(FLAGS_trainers), ',')) {
      auto trainer = kepler::model::core::ParseTrainerName(name);
      if (trainer.has_value()) options.abs_trainers.push_back(*trainer);
    }
  }
  options.dyn_trainers = options.abs_trainers;
  options.isolator_name = absl::GetFlag(FLAGS_isolator);
  options.threads = absl::GetFlag(FLAGS_threads);
  return options;
}

void PrintModels(const kt::PipelineReport& report) {
  for (size_t i = 0; i < report.models.size(); ++i) {
    const auto& model = report.models[i];
    std::printf("MODEL %s %s %s %s mae=%.4f cpu_s=%.3f %s\n", model.source().c_str(),
                v1::OutputType_Name(model.output_type()).c_str(),
                v1::FeatureGroup_Name(model.feature_group()).c_str(), model.model_name().c_str(),
                model.mae(), report.model_cpu_seconds[i], model.skipped_reason().c_str());
  }
}

// CPU seconds per trainer family, summed over sources, groups and output types.
void PrintTrainerTimes(const kt::PipelineReport& report) {
  std::map<std::string, double> seconds;
  double total = 0;
  for (size_t i = 0; i < report.models.size(); ++i) {
    std::string name = report.models[i].model_name();
    seconds[name.substr(0, name.rfind('_'))] += report.model_cpu_seconds[i];
    total += report.model_cpu_seconds[i];
  }
  for (const auto& [name, s] : seconds) std::printf("TRAINER %s cpu_s=%.3f\n", name.c_str(), s);
  std::printf("TRAINER all cpu_s=%.3f\n", total);
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string path = absl::GetFlag(FLAGS_capture);
  if (path.empty()) {
    std::cerr << "train-bench: --capture is required\n";
    return 2;
  }
  auto isolator = kt::MakeSimpleIsolator(absl::GetFlag(FLAGS_isolator));
  if (!isolator.ok()) {
    std::cerr << "train-bench: " << isolator.status() << "\n";
    return 2;
  }
  // A previous run's output would be deleted inside the timed publish step.
  (void)kepler::model::core::RemoveAll(absl::GetFlag(FLAGS_output_dir));
  kepler::model::core::SyncFilesystemOf(path);
  const auto start = std::chrono::steady_clock::now();
  auto text = kepler::model::core::ReadFile(path);
  if (!text.ok()) {
    std::cerr << "train-bench: " << text.status() << "\n";
    return 1;
  }
  const double read_s = Since(start);
  const double capture_mb = text->size() / 1e6;
  auto capture = kt::Capture::Parse(*text);
  std::string().swap(*text);  // as Capture::ReadFile: the text is gone once parsed
  if (!capture.ok()) {
    std::cerr << "train-bench: " << capture.status() << "\n";
    return 1;
  }
  const double parse_s = Since(start) - read_s;
  auto report = kt::TrainPipeline(*capture, **isolator, BenchOptions(), absl::GetFlag(FLAGS_output_dir));
  const double total_s = Since(start);
  if (!report.ok()) {
    std::cerr << "train-bench: " << report.status() << "\n";
    return 1;
  }
  int skipped = 0;
  for (const auto& model : report->models) skipped += !model.skipped_reason().empty();
  if (absl::GetFlag(FLAGS_models)) PrintModels(*report);
  PrintTrainerTimes(*report);
  auto memory = kepler::model::tools::ReadMemoryUsage(getpid());
  const double hwm_mb = memory.ok() ? memory->hwm_kb * 1024 / 1e6 : -1;
  std::printf(
      "RESULT capture_mb=%.2f read_s=%.3f parse_s=%.3f extract_s=%.3f train_s=%.3f "
      "publish_s=%.3f total_s=%.3f models=%zu skipped=%d vmhwm_mb=%.1f budget_mb=%.1f\n",
      capture_mb, read_s, parse_s, report->timing.extract_seconds, report->timing.train_seconds,
      report->timing.publish_seconds, total_s, report->models.size() - skipped, skipped, hwm_mb,
      2 * capture_mb + 100);
  return 0;
}
