#include "server/selector.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/energy_source.h"
#include "core/feature_group.h"
#include "core/model_metadata.h"
#include "core/trainer_name.h"

namespace kepler::model::server {
namespace {

using ModelPtr = std::shared_ptr<const ModelEntry>;

// §2.3 steps 2-4: trainer, node type (with the loose fallback) and weight capability.
ModelList NarrowNames(const ModelList& models, const SelectionRequest& request, int node_type) {
  ModelList names;
  for (const ModelPtr& model : models) {
    if (!request.trainer_name.empty() && model->trainer != request.trainer_name) continue;
    names.push_back(model);
  }
  if (node_type != -1) {
    ModelList typed;
    for (const ModelPtr& model : names) {
      if (model->node_type == node_type) typed.push_back(model);
    }
    if (!typed.empty()) {
      names = std::move(typed);
    } else if (!request.loose_node_type) {
      return {};
    }
  }
  if (request.weight) {
    names.erase(std::remove_if(names.begin(), names.end(),
                               [](const ModelPtr& m) {
                                 return !core::IsWeightSupportTrainer(m->trainer);
                               }),
                names.end());
  }
  return names;
}

// §2.3 step 5: does the model's node type match the request?
bool MatchesType(const ModelEntry& model, const Pipeline& pipeline, int node_type,
                 const core::NodeSpec& spec) {
  if (model.node_type == node_type) return true;
  if (node_type != -1) return false;
  if (spec.IsEmpty() || pipeline.node_types.empty()) return true;
  const core::NodeType* type = pipeline.node_types.Find(model.node_type);
  return type != nullptr && core::Covers(type->attrs, spec);
}

// §2.3 steps 5-6: matching candidates, else those of the largest machines, else all.
ModelList Candidates(const ModelList& names, const Pipeline& pipeline, int node_type,
                     const core::NodeSpec& spec) {
  ModelList candidates;
  for (const ModelPtr& model : names) {
    if (MatchesType(*model, pipeline, node_type, spec)) candidates.push_back(model);
  }
  if (!candidates.empty() || names.empty()) return candidates;
  std::vector<int> types;
  for (const ModelPtr& model : names) types.push_back(model->node_type);
  std::vector<int> largest = pipeline.node_types.LargestCoresTypes(types);
  if (largest.empty()) return names;
  for (const ModelPtr& model : names) {
    if (std::find(largest.begin(), largest.end(), model->node_type) != largest.end()) {
      candidates.push_back(model);
    }
  }
  return candidates;
}

bool HasPayload(const ModelEntry& model, bool weight) {
  return weight ? model.weights.has_value() : !model.archive_path.empty();
}

ModelPtr LowestError(const ModelList& candidates, const SelectionRequest& request) {
  ModelPtr best;
  double best_error = 0;
  for (const ModelPtr& model : candidates) {
    if (!HasPayload(*model, request.weight) || !request.filter.Accepts(model->metadata)) continue;
    auto error = core::MetadataValue(model->metadata, request.error_key);
    if (!error.has_value()) continue;
    if (best == nullptr || *error < best_error) {
      best = model;
      best_error = *error;
    }
  }
  return best;
}

ModelPtr BestInGroupWithSpec(const Pipeline& pipeline, const GroupKey& key,
                             const SelectionRequest& request, int node_type,
                             const core::NodeSpec& spec) {
  ModelList names = NarrowNames(pipeline.Models(key), request, node_type);
  return LowestError(Candidates(names, pipeline, node_type, spec), request);
}

absl::StatusOr<const Pipeline*> ServingPipeline(const Snapshot& snapshot,
                                                const SelectionRequest& request) {
  if (!request.pipeline_name.empty()) {
    const Pipeline* named = snapshot.FindPipeline(request.pipeline_name);
    if (named == nullptr) {
      return absl::NotFoundError(absl::StrCat("pipeline ", request.pipeline_name, " is not loaded"));
    }
    return named;
  }
  const Pipeline* pipeline = snapshot.PipelineForSource(request.source);
  if (pipeline == nullptr) {
    return absl::NotFoundError(absl::StrCat("no pipeline serves source ", request.source));
  }
  return pipeline;
}

int ResolveNodeType(const Pipeline& pipeline, const SelectionRequest& request) {
  if (request.node_type != -1 || request.machine_spec.IsEmpty() || pipeline.node_types.empty()) {
    return request.node_type;
  }
  return pipeline.node_types.GetNodeType(request.machine_spec, /*loose_search=*/true).index;
}

std::string DescribeRequest(const SelectionRequest& request, int node_type) {
  return absl::StrCat(core::OutputTypeName(request.output_type), " model for source ",
                      request.source, ", metrics [", absl::StrJoin(request.metrics, ","), "]",
                      node_type == -1 ? "" : absl::StrCat(", node type ", node_type),
                      request.trainer_name.empty() ? "" : ", trainer " + request.trainer_name,
                      request.weight ? ", with a weight document" : "",
                      request.filter.empty() ? "" : ", passing the filter");
}

}  // namespace

ModelPtr BestInGroup(const Pipeline& pipeline, const GroupKey& key,
                     const SelectionRequest& request, int node_type) {
  return BestInGroupWithSpec(pipeline, key, request, node_type, core::NodeSpec{});
}

absl::StatusOr<Selection> SelectBestModel(const Snapshot& snapshot,
                                          const SelectionRequest& request) {
  std::vector<v1::FeatureGroup> groups = core::FeatureGroups::Default().ValidGroups(request.metrics);
  if (groups.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "no feature group can be built from metrics [", absl::StrJoin(request.metrics, ","), "]"));
  }
  auto pipeline = ServingPipeline(snapshot, request);
  if (!pipeline.ok()) return pipeline.status();
  Selection selection{nullptr, *pipeline, ResolveNodeType(**pipeline, request)};
  // A spec that resolved to a node type is used through it; an unresolved one still narrows
  // by coverage (§2.3 step 5).
  core::NodeSpec spec = selection.node_type == -1 ? request.machine_spec : core::NodeSpec{};
  double best_error = 0;
  for (v1::FeatureGroup group : groups) {
    GroupKey key{request.source, request.output_type, group};
    ModelPtr model = BestInGroupWithSpec(**pipeline, key, request, selection.node_type, spec);
    if (model == nullptr) continue;
    bool have_exact = selection.model != nullptr && selection.model->node_type == selection.node_type;
    if (have_exact && model->node_type != selection.node_type) continue;
    double error = *core::MetadataValue(model->metadata, request.error_key);
    if (selection.model == nullptr || error < best_error ||
        (!have_exact && model->node_type == selection.node_type && selection.node_type != -1)) {
      selection.model = model;
      best_error = error;
    }
  }
  if (selection.model == nullptr) {
    return absl::NotFoundError(absl::StrCat("cannot find ", DescribeRequest(request, selection.node_type),
                                            " in pipeline ", (*pipeline)->name));
  }
  return selection;
}

}  // namespace kepler::model::server
