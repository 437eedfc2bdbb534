// Chooses the best model of a snapshot for a request (contract §2.2 step 2, §2.3, §2.5).
//
// For every feature group the request's metrics can feed (table order), the group's models are
// narrowed by trainer, node type and weight capability, matched against the machine spec, and
// filtered; the one with the lowest error key wins its group, and the lowest across groups wins,
// except that a model of exactly the wanted node type beats models of other node types (the
// reference only stops other types once an exact one is chosen, so group order could let a
// fallback model win). Names are compared as parsed values (trainer before the first '_', node type
// after the last), never as substrings, and ties go to the first model by name.
//
// Pure function of (snapshot, request): safe to call from any thread.
#ifndef KEPLER_SERVER_SELECTOR_H_
#define KEPLER_SERVER_SELECTOR_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/node_type.h"
#include "core/model_filter.h"
#include "server/snapshot.h"

namespace kepler::model::server {

struct SelectionRequest {
  // Metric names available to the client (a set).
  std::vector<std::string> metrics;
  v1::OutputType output_type = v1::AbsPower;
  // Normalised energy source.
  std::string source = "rapl-sysfs";
  // -1: any node type.
  int node_type = -1;
  // Only weight-capable trainers with a weight document.
  bool weight = false;
  // Exact trainer name; empty for any.
  std::string trainer_name;
  core::ModelFilter filter;
  // Pipeline to serve from; empty for the source's default.
  std::string pipeline_name;
  // Client hardware, used when node_type is -1.
  core::NodeSpec machine_spec;
  // False: a node type with no model yields nothing instead of any node type.
  bool loose_node_type = true;
  // Metadata attribute minimised (ERROR_KEY, default "mae").
  std::string error_key = "mae";
};

struct Selection {
  std::shared_ptr<const ModelEntry> model;
  const Pipeline* pipeline = nullptr;
  // Node type the request resolved to (-1 when any).
  int node_type = -1;
};

// The best model, or: InvalidArgument when no feature group fits the metrics; NotFound when no
// pipeline serves the source (or the named pipeline is not loaded) or no model matches, with a
// message saying what was asked and why nothing matched.
absl::StatusOr<Selection> SelectBestModel(const Snapshot& snapshot,
                                          const SelectionRequest& request);

// The best model of one group (no machine spec; exact node type unless -1), or nullptr.
// Used by the best-models listing.
std::shared_ptr<const ModelEntry> BestInGroup(const Pipeline& pipeline, const GroupKey& key,
                                              const SelectionRequest& request, int node_type);

}  // namespace kepler::model::server

#endif  // KEPLER_SERVER_SELECTOR_H_
