#include "trainer/pipeline_data.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/energy_source.h"
#include "core/feature_group.h"
#include "core/status_macros.h"
#include "trainer/extractor.h"
#include "trainer/parallel.h"

namespace kepler::model::trainer {
namespace {

// One (source, group) to extract, and what came out (one entry per output type with trainers).
struct ExtractJob {
  std::string source;
  v1::FeatureGroup group;
  std::vector<Dataset> datasets;
  std::vector<std::string> notes;
};

absl::StatusOr<FeatureTable> ExtractTable(const Capture& capture, const Extractor& extractor,
                                          const Isolator& isolator, ExtractOptions options,
                                          v1::OutputType type) {
  options.node_level = type == v1::AbsPower;
  ASSIGN_OR_RETURN(FeatureTable table, extractor.Extract(capture, options));
  if (type == v1::AbsPower) return table;
  return isolator.Isolate(table, options.energy_source);
}

void RunJob(const Capture& capture, const Extractor& extractor, const Isolator& isolator,
            const PipelineOptions& options, std::optional<int> node_type, ExtractJob& job) {
  ExtractOptions extract{job.source, job.group, &core::FeatureGroups::Default()};
  extract.use_vm_metrics = options.use_vm_metrics;
  extract.node_type = node_type;
  for (v1::OutputType type : core::OutputTypes()) {
    const auto& trainers = type == v1::AbsPower ? options.abs_trainers : options.dyn_trainers;
    if (trainers.empty()) continue;
    auto table = ExtractTable(capture, extractor, isolator, extract, type);
    if (!table.ok()) {
      job.notes.push_back(absl::StrCat(job.source, " ", core::OutputTypeName(type), " ",
                                       core::FeatureGroupName(job.group), ": ",
                                       table.status().message()));
      continue;
    }
    job.datasets.push_back({job.source, job.group, type, *std::move(table)});
  }
}

std::vector<ExtractJob> JobsOf(const Capture& capture, const PipelineOptions& options) {
  const auto& groups = core::FeatureGroups::Default();
  std::vector<ExtractJob> jobs;
  for (const std::string& source : options.energy_sources) {
    for (v1::FeatureGroup group : ValidFeatureGroups(capture, groups, options.use_vm_metrics)) {
      const auto& wanted = options.feature_groups;
      if (wanted.empty() || std::find(wanted.begin(), wanted.end(), group) != wanted.end()) {
        jobs.push_back({source, group, {}, {}});
      }
    }
  }
  return jobs;
}

}  // namespace

std::vector<Dataset> ExtractDatasets(const Capture& capture, const Isolator& isolator,
                                     const PipelineOptions& options, std::optional<int> node_type,
                                     std::vector<std::string>* notes) {
  std::vector<Dataset> out;
  auto extractor = MakeExtractor(options.extractor);
  if (!extractor.ok()) {
    notes->push_back(std::string(extractor.status().message()));
    return out;
  }
  std::vector<ExtractJob> jobs = JobsOf(capture, options);
  ParallelFor(jobs.size(), options.threads, [&](size_t i) {
    RunJob(capture, **extractor, isolator, options, node_type, jobs[i]);
  });
  for (ExtractJob& job : jobs) {
    for (Dataset& data : job.datasets) out.push_back(std::move(data));
    for (std::string& note : job.notes) notes->push_back(std::move(note));
  }
  return out;
}

Slice PrepareSlice(const Dataset& data, int node_type, uint64_t seed) {
  Slice slice;
  slice.dataset = &data;
  slice.node_type = node_type;
  slice.components = core::ComponentsOf(data.source);
  slice.rows = RowsOfNodeType(data.table, node_type);
  auto split = SplitRows(static_cast<int>(slice.rows.size()), SplitOptions{0.1, seed});
  if (!split.ok()) {
    slice.status = split.status();
    return slice;
  }
  slice.split = *std::move(split);
  const std::vector<std::string>& features = data.table.feature_columns;
  for (const std::string& component : slice.components) {
    auto all = DataForComponent(data.table, features, component, slice.rows);
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
    slice.train.push_back({TakeRows(x, slice.split.train), TakeRows(all->y, slice.split.train)});
    slice.test.push_back({TakeRows(x, slice.split.test), TakeRows(all->y, slice.split.test)});
  }
  return slice;
}

int MainFeatureIndex(const Slice& slice, absl::string_view component) {
  const auto& groups = core::FeatureGroups::Default();
  int index = groups.MainFeatureIndex(slice.dataset->group, component);
  if (index < 0) return 0;
  const std::string& name = groups.FeaturesOf(slice.dataset->group)[index];
  const auto& features = slice.dataset->table.feature_columns;
  auto it = std::find(features.begin(), features.end(), name);
  return it == features.end() ? 0 : static_cast<int>(it - features.begin());
}

}  // namespace kepler::model::trainer
