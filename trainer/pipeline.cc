#include "trainer/pipeline.h"

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
#include "trainer/extractor.h"
#include "trainer/model_writer.h"
#include "trainer/parallel.h"
#include "trainer/pipeline_metadata.h"
#include "trainer/split.h"
#include "trainer/trainer.h"
#include "trainer/training_data.h"

namespace kepler::model::trainer {
namespace {

// One extracted table: a (source, feature group, output type).
struct Dataset {
  std::string source;
  v1::FeatureGroup group = v1::FEATURE_GROUP_UNSPECIFIED;
  v1::OutputType type = v1::AbsPower;
  FeatureTable table;
};

// One node type of a dataset, scaled and split, shared by every trainer of the dataset.
struct Slice {
  const Dataset* dataset = nullptr;
  int node_type = 0;
  std::optional<MaxAbsScaler> scaler;
  std::vector<std::string> components;
  std::vector<ComponentData> train, test;  // per component, X scaled
  absl::Status status;
};

struct Task {
  const Slice* slice;
  v1::TrainerName trainer;
};

std::string GroupDir(const std::string& root, const Dataset& data) {
  return absl::StrCat(root, "/", data.source, "/", core::OutputTypeName(data.type), "/",
                      core::FeatureGroupName(data.group));
}

absl::StatusOr<FeatureTable> ExtractTable(const Capture& capture, const Extractor& extractor,
                                          const Isolator& isolator, ExtractOptions options,
                                          v1::OutputType type) {
  options.node_level = type == v1::AbsPower;
  ASSIGN_OR_RETURN(FeatureTable table, extractor.Extract(capture, options));
  if (type == v1::AbsPower) return table;
  return isolator.Isolate(table, options.energy_source);
}

Slice PrepareSlice(const Dataset& data, int node_type, uint64_t seed) {
  Slice slice;
  slice.dataset = &data;
  slice.node_type = node_type;
  slice.components = core::ComponentsOf(data.source);
  std::vector<size_t> rows = RowsOfNodeType(data.table, node_type);
  auto split = SplitRows(static_cast<int>(rows.size()), SplitOptions{0.1, seed});
  if (!split.ok()) {
    slice.status = split.status();
    return slice;
  }
  const std::vector<std::string>& features = data.table.feature_columns;
  for (const std::string& component : slice.components) {
    auto all = DataForComponent(data.table, features, component, rows);
    if (!all.ok()) {
      slice.status = all.status();
      return slice;
    }
    if (!slice.scaler.has_value()) {
      auto scaler = MaxAbsScaler::Fit(all->x, features);
      if (!scaler.ok()) {
        slice.status = scaler.status();
        return slice;
      }
      slice.scaler = *std::move(scaler);
    }
    Eigen::MatrixXd x = slice.scaler->Transform(all->x);
    slice.train.push_back({TakeRows(x, split->train), TakeRows(all->y, split->train)});
    slice.test.push_back({TakeRows(x, split->test), TakeRows(all->y, split->test)});
  }
  return slice;
}

// Where, among the table's features, the curve-fit main (or dram) feature of the group is.
int MainFeatureIndex(const Slice& slice, absl::string_view component) {
  const auto& groups = core::FeatureGroups::Default();
  int index = groups.MainFeatureIndex(slice.dataset->group, component);
  if (index < 0) return 0;
  const std::string& name = groups.FeaturesOf(slice.dataset->group)[index];
  const auto& features = slice.dataset->table.feature_columns;
  auto it = std::find(features.begin(), features.end(), name);
  return it == features.end() ? 0 : static_cast<int>(it - features.begin());
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

std::vector<Dataset> ExtractAll(const Capture& capture, const Isolator& isolator,
                                const PipelineOptions& options, std::optional<int> node_type,
                                PipelineReport& report) {
  const auto& groups = core::FeatureGroups::Default();
  std::vector<v1::FeatureGroup> valid = ValidFeatureGroups(capture, groups, options.use_vm_metrics);
  std::vector<Dataset> out;
  auto extractor = MakeExtractor(options.extractor);
  if (!extractor.ok()) {
    report.notes.push_back(std::string(extractor.status().message()));
    return out;
  }
  for (const std::string& source : options.energy_sources) {
    for (v1::FeatureGroup group : valid) {
      if (!options.feature_groups.empty() &&
          std::find(options.feature_groups.begin(), options.feature_groups.end(), group) ==
              options.feature_groups.end()) {
        continue;
      }
      ExtractOptions extract{source, group, &groups};
      extract.use_vm_metrics = options.use_vm_metrics;
      extract.node_type = node_type;
      for (v1::OutputType type : core::OutputTypes()) {
        const auto& trainers = type == v1::AbsPower ? options.abs_trainers : options.dyn_trainers;
        if (trainers.empty()) continue;
        auto table = ExtractTable(capture, **extractor, isolator, extract, type);
        if (!table.ok()) {
          report.notes.push_back(absl::StrCat(source, " ", core::OutputTypeName(type), " ",
                                              core::FeatureGroupName(group), ": ",
                                              table.status().message()));
          continue;
        }
        out.push_back({source, group, type, *std::move(table)});
      }
    }
  }
  return out;
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
  PipelineReport report;
  core::NodeTypeIndex index;
  std::optional<int> node_type = ResolveNodeType(options, index, report);
  std::vector<Dataset> datasets = ExtractAll(capture, isolator, options, node_type, report);
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
  std::vector<absl::StatusOr<v1::ModelMetrics>> results(tasks.size(), absl::UnknownError(""));
  Progress progress(options, static_cast<int>(tasks.size()));
  ParallelFor(tasks.size(), options.threads, [&](size_t i) {
    results[i] = RunTask(tasks[i], staging, index, options.seed);
    progress.Done(tasks[i]);
  });
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
  absl::Status published = core::PublishDirectory(staging, output_dir, staging + ".previous");
  (void)core::RemoveAll(staging);
  (void)core::RemoveAll(staging + ".previous");
  RETURN_IF_ERROR(published);
  return report;
}

}  // namespace kepler::model::trainer
