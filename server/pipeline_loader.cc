#include "server/pipeline_loader.h"

#include <filesystem>
#include <iostream>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/archive.h"
#include "core/energy_source.h"
#include "core/feature_group.h"
#include "core/file_util.h"
#include "core/model_metadata.h"
#include "core/status_macros.h"
#include "core/trainer_name.h"
#include "core/weight_document.h"
#include "rapidjson/document.h"

namespace kepler::model::server {
namespace {

// Model archives in a database are small (a GBR zip is ~140 KB); reading metadata out of one
// never needs more than this.
core::ArchiveLimits MetadataReadLimits() {
  core::ArchiveLimits limits;
  limits.max_entries = 256;
  limits.max_total_bytes = 64ull << 20;
  limits.max_entry_bytes = 32ull << 20;
  return limits;
}

absl::StatusOr<std::string> MetadataFromArchive(const std::string& zip_path) {
  ASSIGN_OR_RETURN(auto entries, core::ReadZipFile(zip_path, MetadataReadLimits()));
  for (const auto& entry : entries) {
    if (entry.name == "metadata.json") return entry.data;
  }
  return absl::NotFoundError(absl::StrCat(zip_path, " holds no metadata.json"));
}

std::optional<v1::WeightDocument> ReadWeights(const std::string& group_dir,
                                              const std::string& name) {
  for (const std::string& path :
       {absl::StrCat(group_dir, "/", name, "/weight.json"), absl::StrCat(group_dir, "/", name, ".json")}) {
    if (!core::FileExists(path)) continue;
    auto text = core::ReadFile(path);
    if (!text.ok()) continue;
    auto weights = core::ParseWeightDocument(*text);
    if (weights.ok()) return *std::move(weights);
    std::cerr << "pipeline loader: skipping weights " << path << ": " << weights.status() << "\n";
  }
  return std::nullopt;
}

// Fills the parts of a model's metadata that its place in the pipeline defines.
void CompleteMetadata(const Pipeline& pipeline, const GroupKey& key, ModelEntry& model) {
  v1::ModelMetadata& metadata = model.metadata;
  metadata.set_pipeline_name(pipeline.name);
  metadata.set_source(key.source);
  metadata.set_output_type(key.output_type);
  metadata.set_feature_group(key.feature_group);
  if (metadata.trainer().empty()) metadata.set_trainer(model.trainer);
  metadata.set_node_type(model.node_type);
  if (metadata.has_machine_spec()) return;
  if (const core::NodeType* type = pipeline.node_types.Find(model.node_type)) {
    *metadata.mutable_machine_spec() = core::NodeSpecToProto(type->attrs);
    model.archive_needs_machine_spec = !model.archive_path.empty();
  }
}

absl::StatusOr<ModelEntry> LoadModel(const std::string& group_dir, const std::string& name,
                                     const core::ModelName& parsed) {
  ModelEntry model;
  model.trainer = parsed.trainer;
  model.node_type = parsed.node_type;
  std::string zip_path = absl::StrCat(group_dir, "/", name, ".zip");
  if (core::FileExists(zip_path)) model.archive_path = zip_path;
  std::string folder_metadata = absl::StrCat(group_dir, "/", name, "/metadata.json");
  absl::StatusOr<std::string> text = core::FileExists(folder_metadata)
                                         ? core::ReadFile(folder_metadata)
                                         : MetadataFromArchive(zip_path);
  if (!text.ok()) return text.status();
  ASSIGN_OR_RETURN(model.metadata, core::ParseModelMetadata(*text));
  if (model.metadata.model_name().empty()) model.metadata.set_model_name(name);
  model.weights = ReadWeights(group_dir, name);
  return model;
}

// Model names present in a group folder: folders `X/` and archives `X.zip`, sorted.
std::set<std::string> ModelNamesIn(const std::string& group_dir) {
  std::set<std::string> names;
  auto entries = core::ListDir(group_dir);
  if (!entries.ok()) return names;
  for (const std::string& entry : *entries) {
    if (entry == "checkpoint") continue;
    std::string name = entry;
    if (absl::EndsWith(entry, ".zip")) {
      name = entry.substr(0, entry.size() - 4);
    } else if (!core::IsDirectory(absl::StrCat(group_dir, "/", entry))) {
      continue;
    }
    if (core::ParseModelName(name).has_value()) names.insert(name);
  }
  return names;
}

void LoadGroup(const std::string& group_dir, const GroupKey& key, Pipeline& pipeline) {
  ModelList models;
  for (const std::string& name : ModelNamesIn(group_dir)) {
    auto model = LoadModel(group_dir, name, *core::ParseModelName(name));
    if (!model.ok()) {
      std::cerr << "pipeline loader: skipping model " << group_dir << "/" << name << ": "
                << model.status() << "\n";
      continue;
    }
    CompleteMetadata(pipeline, key, *model);
    models.push_back(std::make_shared<const ModelEntry>(*std::move(model)));
  }
  if (!models.empty()) pipeline.groups[key] = std::move(models);
}

void LoadGroups(Pipeline& pipeline) {
  for (const std::string& source : core::EnergySources()) {
    for (v1::OutputType type : core::OutputTypes()) {
      std::string type_dir =
          absl::StrCat(pipeline.path, "/", source, "/", core::OutputTypeName(type));
      if (!core::IsDirectory(type_dir)) continue;
      auto groups = core::ListDir(type_dir);
      if (!groups.ok()) continue;
      for (const std::string& group_name : *groups) {
        auto group = core::ParseFeatureGroup(group_name);
        if (!group.has_value()) continue;
        LoadGroup(absl::StrCat(type_dir, "/", group_name), GroupKey{source, type, *group},
                  pipeline);
      }
    }
  }
}

std::string LastUpdateTime(const std::string& metadata_json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(metadata_json.data(), metadata_json.size());
  if (doc.HasParseError() || !doc.IsObject()) return "";
  auto it = doc.FindMember("last_update_time");
  if (it == doc.MemberEnd() || !it->value.IsString()) return "";
  return it->value.GetString();
}

std::string BaseName(const std::string& path) {
  std::filesystem::path folder(path);
  if (!folder.has_filename()) folder = folder.parent_path();  // "a/b/" names "b"
  return folder.filename().string();
}

}  // namespace

absl::StatusOr<Pipeline> LoadPipeline(const std::string& path) {
  Pipeline pipeline;
  pipeline.path = path;
  pipeline.name = BaseName(path);
  ASSIGN_OR_RETURN(pipeline.metadata_json, core::ReadFile(path + "/metadata.json"));
  pipeline.last_update_time = LastUpdateTime(pipeline.metadata_json);
  std::string index_path = path + "/node_type_index.json";
  if (core::FileExists(index_path)) {
    ASSIGN_OR_RETURN(std::string index_text, core::ReadFile(index_path));
    auto index = core::NodeTypeIndex::Parse(index_text);
    if (!index.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(index_path, ": ", index.status().message()));
    }
    pipeline.node_types = *std::move(index);
  }
  LoadGroups(pipeline);
  return pipeline;
}

std::vector<Pipeline> LoadPipelines(const std::string& model_path,
                                    std::vector<std::string>* errors,
                                    std::vector<std::string>* failed) {
  std::vector<Pipeline> pipelines;
  auto entries = core::ListDir(model_path);
  if (!entries.ok()) {
    if (errors) errors->push_back(std::string(entries.status().message()));
    return pipelines;
  }
  for (const std::string& entry : *entries) {
    std::string path = absl::StrCat(model_path, "/", entry);
    if (entry.empty() || entry[0] == '.' || !core::FileExists(path + "/metadata.json")) continue;
    auto pipeline = LoadPipeline(path);
    if (!pipeline.ok()) {
      std::string line = absl::StrCat("pipeline ", entry, " not loaded: ", pipeline.status().message());
      std::cerr << line << "\n";
      if (errors) errors->push_back(line);
      if (failed) failed->push_back(entry);
      continue;
    }
    pipelines.push_back(*std::move(pipeline));
  }
  return pipelines;
}

}  // namespace kepler::model::server
