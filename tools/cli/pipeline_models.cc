#include "tools/cli/pipeline_models.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/archive.h"
#include "core/energy_source.h"
#include "core/feature_group.h"
#include "core/file_util.h"
#include "core/model_loader.h"
#include "core/status_macros.h"
#include "core/trainer_name.h"
#include "server/pipeline_loader.h"
#include "tools/cli/training_inputs.h"

namespace kepler::model::tools::cli {
namespace {

namespace fs = std::filesystem;

absl::StatusOr<core::ModelFiles> FilesOfFolder(const std::string& dir) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, core::ListDir(dir));
  core::ModelFiles files;
  for (const std::string& name : names) {
    std::string path = dir + "/" + name;
    if (core::IsDirectory(path)) continue;
    ASSIGN_OR_RETURN(files[name], core::ReadFile(path));
  }
  return files;
}

absl::StatusOr<core::ModelFiles> FilesOfArchive(const std::string& zip) {
  ASSIGN_OR_RETURN(std::vector<core::ArchiveEntry> entries,
                   core::ReadZipFile(zip, core::ArchiveLimits{}));
  core::ModelFiles files;
  for (auto& entry : entries) files[entry.name] = std::move(entry.data);
  return files;
}

absl::StatusOr<core::ModelFiles> FilesOf(const std::string& path) {
  if (core::IsDirectory(path)) return FilesOfFolder(path);
  if (!core::FileExists(path)) return absl::NotFoundError(absl::StrCat(path, " does not exist"));
  return FilesOfArchive(path);
}

bool Matches(const server::ModelEntry& model, const server::GroupKey& key, const ModelFilter& f) {
  return (f.source.empty() || f.source == key.source) &&
         (!f.output_type || *f.output_type == key.output_type) &&
         (!f.feature_group || *f.feature_group == key.feature_group) &&
         (f.trainer.empty() || f.trainer == model.trainer) &&
         (f.model_name.empty() || f.model_name == model.metadata.model_name()) &&
         (!f.node_type || *f.node_type == model.node_type);
}

}  // namespace

absl::StatusOr<std::unique_ptr<PipelineHandle>> PipelineHandle::Open(const std::string& path) {
  if (!core::FileExists(path)) return absl::NotFoundError(absl::StrCat(path, " does not exist"));
  std::string folder = path;
  std::string temp_dir;
  if (!core::IsDirectory(path)) {
    ASSIGN_OR_RETURN(std::string zip, core::ReadFile(path));
    ASSIGN_OR_RETURN(temp_dir, core::MakeTempDir("kepler-model-pipeline-"));
    std::string name = fs::path(path).stem().string();
    folder = temp_dir + "/" + name;
    absl::Status unzipped = core::UnzipToFolder(zip, folder, core::ArchiveLimits{});
    if (!unzipped.ok()) {
      (void)core::RemoveAll(temp_dir);
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", unzipped.message()));
    }
  }
  if (!core::FileExists(folder + "/metadata.json")) {
    if (!temp_dir.empty()) (void)core::RemoveAll(temp_dir);
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a pipeline (no metadata.json)"));
  }
  absl::StatusOr<server::Pipeline> pipeline = server::LoadPipeline(folder);
  if (!pipeline.ok()) {
    if (!temp_dir.empty()) (void)core::RemoveAll(temp_dir);
    return pipeline.status();
  }
  return std::unique_ptr<PipelineHandle>(new PipelineHandle(*std::move(pipeline), temp_dir));
}

PipelineHandle::~PipelineHandle() {
  if (!temp_dir_.empty()) (void)core::RemoveAll(temp_dir_);
}

std::string PipelineHandle::GroupDir(const server::ModelEntry& model) const {
  const v1::ModelMetadata& m = model.metadata;
  return absl::StrCat(pipeline_.path, "/", m.source(), "/", core::OutputTypeName(m.output_type()),
                      "/", core::FeatureGroupName(m.feature_group()));
}

std::string PipelineHandle::ModelDir(const server::ModelEntry& model) const {
  return absl::StrCat(GroupDir(model), "/", model.metadata.model_name());
}

absl::StatusOr<ModelFilter> ParseModelFilter(const ModelFilterFlags& flags) {
  ModelFilter filter;
  if (!flags.source.empty()) {
    ASSIGN_OR_RETURN(std::vector<std::string> sources, ParseEnergySources({flags.source}));
    filter.source = sources.front();
  }
  if (!flags.output_type.empty()) {
    ASSIGN_OR_RETURN(filter.output_type, ParseOutputTypeName(flags.output_type));
  }
  if (!flags.feature_group.empty()) {
    ASSIGN_OR_RETURN(std::vector<v1::FeatureGroup> groups,
                     ParseFeatureGroups({flags.feature_group}));
    if (!groups.empty()) filter.feature_group = groups.front();
  }
  if (!flags.trainer.empty()) {
    ASSIGN_OR_RETURN(std::vector<v1::TrainerName> trainers, ParseTrainers({flags.trainer}));
    if (trainers.size() != 1) return absl::InvalidArgumentError("name one trainer");
    filter.trainer = core::TrainerNameString(trainers.front());
  }
  filter.model_name = flags.model_name;
  if (flags.node_type >= 0) filter.node_type = flags.node_type;
  return filter;
}

std::vector<const server::ModelEntry*> SelectModels(const server::Pipeline& pipeline,
                                                    const ModelFilter& filter) {
  std::vector<const server::ModelEntry*> out;
  for (const auto& [key, models] : pipeline.groups) {
    for (const auto& model : models) {
      if (Matches(*model, key, filter)) out.push_back(model.get());
    }
  }
  return out;
}

const server::ModelEntry* LowestMae(const std::vector<const server::ModelEntry*>& models) {
  const server::ModelEntry* best = nullptr;
  for (const server::ModelEntry* model : models) {
    if (best == nullptr || model->metadata.mae() < best->metadata.mae()) best = model;
  }
  return best;
}

absl::StatusOr<std::shared_ptr<const core::Model>> LoadEntryModel(const PipelineHandle& handle,
                                                                  const server::ModelEntry& model) {
  std::string group = core::FeatureGroupName(model.metadata.feature_group());
  std::string path = model.archive_path.empty() ? handle.ModelDir(model) : model.archive_path;
  absl::StatusOr<std::shared_ptr<const core::Model>> loaded = LoadModelPath(path, group);
  if (loaded.ok() || !model.weights.has_value()) return loaded;
  auto from_weights =
      core::LoadWeightModel(*model.weights, model.trainer, model.metadata.feature_group());
  return from_weights.ok() ? from_weights : loaded;
}

absl::StatusOr<std::shared_ptr<const core::Model>> LoadModelPath(const std::string& path,
                                                                 absl::string_view group_hint) {
  ASSIGN_OR_RETURN(core::ModelFiles files, FilesOf(path));
  // A database's weight document sits beside the archive as <name>.json.
  std::string sibling = absl::StrCat(fs::path(path).replace_extension("").string(), ".json");
  if (!files.count("weight.json") && !core::IsDirectory(path) && core::FileExists(sibling)) {
    ASSIGN_OR_RETURN(files["weight.json"], core::ReadFile(sibling));
  }
  auto model = core::LoadModelFromFiles(files, group_hint);
  if (!model.ok())
    return absl::Status(model.status().code(), absl::StrCat(path, ": ", model.status().message()));
  return model;
}

}  // namespace kepler::model::tools::cli
