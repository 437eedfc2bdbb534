#include "server/snapshot.h"

#include <algorithm>

namespace kepler::model::server {

const ModelList& Pipeline::Models(const GroupKey& key) const {
  static const auto* kNone = new ModelList;
  auto it = groups.find(key);
  return it == groups.end() ? *kNone : it->second;
}

bool Pipeline::HasSource(absl::string_view source) const {
  for (const auto& [key, models] : groups) {
    if (key.source == source) return true;
  }
  return false;
}

size_t Pipeline::ModelCount() const {
  size_t count = 0;
  for (const auto& [key, models] : groups) count += models.size();
  return count;
}

Snapshot::Snapshot(std::vector<Pipeline> pipelines, absl::Time loaded_at,
                   std::vector<std::string> stale, int64_t reload_failures)
    : pipelines_(std::move(pipelines)),
      loaded_at_(loaded_at),
      stale_(std::move(stale)),
      reload_failures_(reload_failures) {
  std::sort(pipelines_.begin(), pipelines_.end(),
            [](const Pipeline& a, const Pipeline& b) { return a.name < b.name; });
}

const Pipeline* Snapshot::FindPipeline(absl::string_view name) const {
  for (const Pipeline& pipeline : pipelines_) {
    if (pipeline.name == name) return &pipeline;
  }
  return nullptr;
}

const Pipeline* Snapshot::PipelineForSource(absl::string_view source) const {
  const Pipeline* newest = nullptr;
  for (const Pipeline& pipeline : pipelines_) {  // sorted by name: ">=" keeps the last on ties
    if (!pipeline.HasSource(source)) continue;
    if (newest == nullptr || pipeline.last_update_time >= newest->last_update_time) {
      newest = &pipeline;
    }
  }
  return newest;
}

size_t Snapshot::ModelCount() const {
  size_t count = 0;
  for (const Pipeline& pipeline : pipelines_) count += pipeline.ModelCount();
  return count;
}

}  // namespace kepler::model::server
