#include "trainer/pipeline.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "core/energy_source.h"
#include "core/feature_group.h"
#include "core/file_util.h"
#include "core/status_macros.h"
#include "core/trainer_name.h"
#include "trainer/model_writer.h"
#include "trainer/parallel.h"
#include "trainer/pipeline_data.h"
#include "trainer/pipeline_metadata.h"
#include "trainer/split.h"
#include "trainer/trainer.h"
#include "trainer/training_data.h"

namespace kepler::model::trainer {
namespace {

struct Task {
  const Slice* slice;
  v1::TrainerName trainer;
};

std::string GroupDir(const std::string& root, const Dataset& data) {
  return absl::StrCat(root, "/", data.source, "/", core::OutputTypeName(data.type), "/",
                      core::FeatureGroupName(data.group));
}

v1::ModelMetrics Skipped(const Task& task, const absl::Status& why) {
  v1::ModelMetrics metrics;
  metrics.set_output_type(task.slice->dataset->type);
  metrics.set_model_name(
      core::MakeModelName(core::TrainerNameString(task.trainer), task.slice->node_type));
  metrics.set_skipped_reason(std::string(why.message()));
  return metrics;
}

absl::StatusOr<v1::ModelMetrics> RunTask(const Task& task, const std::string& root,
                                         const core::NodeTypeIndex& index, uint64_t seed) {
  const Slice& slice = *task.slice;
  RETURN_IF_ERROR(slice.status);
  std::vector<std::unique_ptr<Trainer>> trainers;
  TrainedModel model;
  model.trainer = task.trainer;
  model.node_type = slice.node_type;
  model.output_type = slice.dataset->type;
  model.scaler = &*slice.scaler;
  if (const core::NodeType* type = index.Find(slice.node_type)) model.machine_spec = type->attrs;
  for (size_t c = 0; c < slice.components.size(); ++c) {
    TrainerContext context{seed, MainFeatureIndex(slice, slice.components[c])};
    ASSIGN_OR_RETURN(std::unique_ptr<Trainer> trainer, MakeTrainer(task.trainer, context));
    RETURN_IF_ERROR(trainer->Fit(slice.train[c].x, slice.train[c].y));
    model.errors.push_back(ComponentError(slice.test[c].y, trainer->Predict(slice.test[c].x)));
    model.components.push_back({slice.components[c], trainer.get()});
    trainers.push_back(std::move(trainer));
  }
  return WriteModel(GroupDir(root, *slice.dataset), model);
}

double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec * 1e-9;
}

class Progress {
 public:
  Progress(const PipelineOptions& options, int total) : options_(options), total_(total) {}
  void Done(const Task& task) {
    if (!options_.progress) return;
    absl::MutexLock lock(&mu_);
    v1::TrainProgress progress;
    progress.set_stage("train");
    progress.set_feature_group(task.slice->dataset->group);
    progress.set_trainer(task.trainer);
    progress.set_done(++done_);
    progress.set_total(total_);
    options_.progress(progress);
  }

 private:
  const PipelineOptions& options_;
  const int total_;
  absl::Mutex mu_;
  int done_ ABSL_GUARDED_BY(mu_) = 0;
};

std::optional<int> ResolveNodeType(const PipelineOptions& options, core::NodeTypeIndex& index,
                                   PipelineReport& report) {
  if (!options.machine_spec.has_value()) return options.node_type;
  auto registered = index.IndexTrainMachine(options.machine_id, *options.machine_spec);
  if (!registered.ok()) {
    report.notes.push_back(absl::StrCat("machine spec not indexed: ", registered.status().message()));
    return options.node_type;
  }
  return options.node_type.has_value() ? options.node_type : std::optional<int>(*registered);
}

}  // namespace

absl::StatusOr<PipelineReport> TrainPipeline(const Capture& capture, const Isolator& isolator,
                                             const PipelineOptions& options,
                                             const std::string& output_dir) {
  const absl::Time start = absl::Now();
  PipelineReport report;
  core::NodeTypeIndex index;
  std::optional<int> node_type = ResolveNodeType(options, index, report);
  std::vector<Dataset> datasets =
      ExtractDatasets(capture, isolator, options, node_type, &report.notes);
  for (const Dataset& data : datasets) report.rows += data.table.num_rows();
  std::vector<std::unique_ptr<Slice>> slices;
  std::vector<Task> tasks;
  for (const Dataset& data : datasets) {
    for (int type : NodeTypesOf(data.table)) {
      slices.push_back(std::make_unique<Slice>(PrepareSlice(data, type, options.seed)));
      const auto& trainers = data.type == v1::AbsPower ? options.abs_trainers : options.dyn_trainers;
      for (v1::TrainerName trainer : trainers) tasks.push_back({slices.back().get(), trainer});
    }
  }
  // Hidden, beside the output: model servers skip it while it is being written.
  std::filesystem::path target(output_dir);
  if (!target.has_filename()) target = target.parent_path();
  std::string staging = (target.parent_path() / absl::StrCat(".", target.filename().string(), ".staging-",
                                                              getpid(), "-", absl::ToUnixNanos(absl::Now())))
                            .string();
  RETURN_IF_ERROR(core::MakeDirs(staging));
  const absl::Time extracted = absl::Now();
  report.timing.extract_seconds = absl::ToDoubleSeconds(extracted - start);
  std::vector<absl::StatusOr<v1::ModelMetrics>> results(tasks.size(), absl::UnknownError(""));
  report.model_cpu_seconds.resize(tasks.size());
  Progress progress(options, static_cast<int>(tasks.size()));
  ParallelFor(tasks.size(), options.threads, [&](size_t i) {
    const double cpu = ThreadCpuSeconds();
    results[i] = RunTask(tasks[i], staging, index, options.seed);
    report.model_cpu_seconds[i] = ThreadCpuSeconds() - cpu;
    progress.Done(tasks[i]);
  });
  const absl::Time trained_at = absl::Now();
  report.timing.train_seconds = absl::ToDoubleSeconds(trained_at - extracted);
  int trained = 0;
  for (size_t i = 0; i < tasks.size(); ++i) {
    v1::ModelMetrics metrics = results[i].ok() ? *results[i] : Skipped(tasks[i], results[i].status());
    metrics.set_source(tasks[i].slice->dataset->source);
    metrics.set_feature_group(tasks[i].slice->dataset->group);
    trained += metrics.skipped_reason().empty();
    report.models.push_back(std::move(metrics));
  }
  if (trained == 0) {
    (void)core::RemoveAll(staging);
    return absl::FailedPreconditionError(absl::StrCat(
        "no model could be trained", report.notes.empty() ? "" : ": " + report.notes.front()));
  }
  RETURN_IF_ERROR(WritePipelineFiles(staging, options, index, report));
  if (options.sync) core::SyncFilesystemOf(staging);  // one flush for every staged file
  absl::Status published = core::PublishDirectory(staging, output_dir, staging + ".previous");
  (void)core::RemoveAll(staging);
  (void)core::RemoveAll(staging + ".previous");
  RETURN_IF_ERROR(published);
  report.timing.publish_seconds = absl::ToDoubleSeconds(absl::Now() - trained_at);
  return report;
}

}  // namespace kepler::model::trainer
