#include "server/model_server_service.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/energy_source.h"
#include "core/feature_group.h"
#include "core/status_macros.h"
#include "server/selector.h"

namespace kepler::model::server {
namespace {

// Names that reach file paths must not carry path characters.
absl::Status CheckPlainName(absl::string_view field, absl::string_view value) {
  if (absl::StrContains(value, "/") || absl::StrContains(value, "\\") ||
      absl::StrContains(value, "..") || absl::StrContains(value, std::string(1, '\0'))) {
    return absl::InvalidArgumentError(absl::StrCat(field, " '", value, "' has path characters"));
  }
  return absl::OkStatus();
}

absl::StatusOr<SelectionRequest> ToSelection(const v1::GetModelRequest& request,
                                             const std::string& error_key) {
  if (request.output_type() != v1::AbsPower && request.output_type() != v1::DynPower) {
    return absl::InvalidArgumentError("output_type must be AbsPower or DynPower");
  }
  RETURN_IF_ERROR(CheckPlainName("trainer_name", request.trainer_name()));
  RETURN_IF_ERROR(CheckPlainName("pipeline_name", request.pipeline_name()));
  SelectionRequest selection;
  selection.metrics.assign(request.metrics().begin(), request.metrics().end());
  selection.output_type = request.output_type();
  selection.source = core::NormalizeSource(request.source());
  selection.node_type = request.has_node_type() ? static_cast<int>(request.node_type()) : -1;
  selection.weight = request.weight();
  selection.trainer_name = request.trainer_name();
  ASSIGN_OR_RETURN(selection.filter, core::ModelFilter::Parse(request.filter()));
  selection.pipeline_name = request.pipeline_name();
  if (request.has_machine_spec()) {
    selection.machine_spec = core::NodeSpecFromProto(request.machine_spec());
  }
  selection.loose_node_type = !request.has_loose_node_type() || request.loose_node_type();
  selection.error_key = error_key;
  return selection;
}

}  // namespace

ModelServerService::ModelServerService(const Repository* repository, Options options)
    : repository_(repository), options_(std::move(options)) {}

absl::StatusOr<v1::GetModelResponse> ModelServerService::GetModel(
    const v1::GetModelRequest& request) {
  ASSIGN_OR_RETURN(SelectionRequest selection, ToSelection(request, options_.error_key));
  std::shared_ptr<const Snapshot> snapshot = repository_->Current();
  ASSIGN_OR_RETURN(Selection selected, SelectBestModel(*snapshot, selection));
  v1::GetModelResponse response;
  *response.mutable_metadata() = selected.model->metadata;
  response.set_node_type_was_any(selection.node_type == -1);
  if (selection.weight) {
    *response.mutable_weights() = *selected.model->weights;
    return response;
  }
  ASSIGN_OR_RETURN(auto archive, archives_.Get(selected.model));
  response.set_archive(*archive);
  return response;
}

absl::StatusOr<v1::ListBestModelsResponse> ModelServerService::ListBestModels(
    const v1::ListBestModelsRequest& request) const {
  SelectionRequest selection;
  ASSIGN_OR_RETURN(selection.filter, core::ModelFilter::Parse(request.filter()));
  selection.error_key = options_.error_key;
  selection.loose_node_type = false;
  std::string source = core::NormalizeSource(request.energy_source());
  std::shared_ptr<const Snapshot> snapshot = repository_->Current();
  const Pipeline* pipeline = snapshot->PipelineForSource(source);
  if (pipeline == nullptr) {
    return absl::NotFoundError(absl::StrCat("no pipeline serves source ", source));
  }
  std::vector<v1::OutputType> types;
  for (int type : request.output_type()) types.push_back(static_cast<v1::OutputType>(type));
  if (types.empty()) types = core::OutputTypes();
  std::vector<v1::FeatureGroup> groups;
  for (int group : request.feature_group()) groups.push_back(static_cast<v1::FeatureGroup>(group));
  if (groups.empty()) groups = core::FeatureGroups::Default().Groups();
  int node_type = request.has_node_type() ? static_cast<int>(request.node_type()) : -1;
  v1::ListBestModelsResponse response;
  for (v1::OutputType type : types) {
    std::string type_name = core::OutputTypeName(type);
    if (type_name.empty()) return absl::InvalidArgumentError("unknown output type");
    auto& by_group = (*response.mutable_output_types())[type_name];
    for (v1::FeatureGroup group : groups) {
      auto best = BestInGroup(*pipeline, GroupKey{source, type, group}, selection, node_type);
      if (best != nullptr) {
        (*by_group.mutable_models())[core::FeatureGroupName(group)] = best->metadata.model_name();
      }
    }
  }
  return response;
}

absl::StatusOr<v1::ListModelsResponse> ModelServerService::ListModels(
    const v1::ListModelsRequest& request) const {
  std::shared_ptr<const Snapshot> snapshot = repository_->Current();
  v1::ListModelsResponse response;
  response.set_snapshot_loaded_at(absl::ToDoubleSeconds(snapshot->loaded_at() - absl::UnixEpoch()));
  std::string source = request.source().empty() ? "" : core::NormalizeSource(request.source());
  for (const Pipeline& pipeline : snapshot->pipelines()) {
    if (!request.pipeline_name().empty() && pipeline.name != request.pipeline_name()) continue;
    for (const auto& [key, models] : pipeline.groups) {
      if (!source.empty() && key.source != source) continue;
      for (const auto& model : models) *response.add_models() = model->metadata;
    }
  }
  return response;
}

}  // namespace kepler::model::server
