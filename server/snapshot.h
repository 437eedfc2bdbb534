// An immutable view of every pipeline under the model path (contract §3).
//
// A Snapshot is built completely by the loader, then published as
// std::shared_ptr<const Snapshot>; requests hold the pointer for the length of one call, so a
// reload never changes what an in-flight request sees. Nothing in it is mutated after
// construction, so it is safe to share between threads without locking.
#ifndef KEPLER_SERVER_SNAPSHOT_H_
#define KEPLER_SERVER_SNAPSHOT_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/node_type.h"
#include "kepler/model/v1/types.pb.h"

namespace kepler::model::server {

// One model of a pipeline, as selection and serving see it.
struct ModelEntry {
  // metadata.json, completed with source, output type, feature group, pipeline name, the node
  // type parsed from the model name and, when the node type is in the pipeline's index and the
  // file had none, the index's machine spec (what the reference's fill_machine_spec adds).
  v1::ModelMetadata metadata;
  // Trainer and node type parsed from the model name.
  std::string trainer;
  int node_type = -1;
  // `<group>/<name>.zip`, empty when the pipeline has no archive for the model.
  std::string archive_path;
  // The weight document (`<name>/weight.json` or the sibling `<name>.json`), when present.
  std::optional<v1::WeightDocument> weights;
  // True when the archive's own metadata.json lacks the machine spec added above, so a served
  // archive must be patched to carry it.
  bool archive_needs_machine_spec = false;
};

using ModelList = std::vector<std::shared_ptr<const ModelEntry>>;

// Where a model group lives: <source>/<OutputType>/<FeatureGroup>.
struct GroupKey {
  std::string source;
  v1::OutputType output_type = v1::OUTPUT_TYPE_UNSPECIFIED;
  v1::FeatureGroup feature_group = v1::FEATURE_GROUP_UNSPECIFIED;

  friend bool operator<(const GroupKey& a, const GroupKey& b) {
    return std::tie(a.source, a.output_type, a.feature_group) <
           std::tie(b.source, b.output_type, b.feature_group);
  }
};

// One pipeline folder.
struct Pipeline {
  std::string name;
  std::string path;
  // metadata.json text as published.
  std::string metadata_json;
  // Its "last_update_time" ("YYYY-MM-DD HH:MM:SS", UTC; empty when absent).
  std::string last_update_time;
  core::NodeTypeIndex node_types;
  // Models per group, sorted by model name (ties in selection keep the first).
  std::map<GroupKey, ModelList> groups;

  // Models of a group; empty when the pipeline has no such group.
  const ModelList& Models(const GroupKey& key) const;
  bool HasSource(absl::string_view source) const;
  size_t ModelCount() const;
};

class Snapshot {
 public:
  // `pipelines` in any order; they are kept sorted by name. `stale` names the pipelines carried
  // over from the previous snapshot because their folder failed to load; `reload_failures`
  // counts such failures since start.
  Snapshot(std::vector<Pipeline> pipelines, absl::Time loaded_at,
           std::vector<std::string> stale = {}, int64_t reload_failures = 0);

  // The pipeline named `name`, or nullptr.
  const Pipeline* FindPipeline(absl::string_view name) const;

  // The pipeline serving `source` when a request names none: of the pipelines that have the
  // source, the most recently updated (metadata "last_update_time"), ties to the last by name.
  // So a pipeline a trainer publishes takes over from an older published database, and the
  // choice never depends on directory-listing order (§11.11). nullptr when none has it.
  const Pipeline* PipelineForSource(absl::string_view source) const;

  const std::vector<Pipeline>& pipelines() const { return pipelines_; }
  size_t ModelCount() const;
  absl::Time loaded_at() const { return loaded_at_; }
  const std::vector<std::string>& stale() const { return stale_; }
  int64_t reload_failures() const { return reload_failures_; }

 private:
  std::vector<Pipeline> pipelines_;
  absl::Time loaded_at_;
  std::vector<std::string> stale_;
  int64_t reload_failures_ = 0;
};

}  // namespace kepler::model::server

#endif  // KEPLER_SERVER_SNAPSHOT_H_
