// Prometheus gauges describing a repository snapshot: what is loaded, how old it is, and the
// weights of every served weight-capable model (the "posting model weights" part of the API),
// labelled by pipeline, source, output type, feature group, model, component and feature.
#ifndef KEPLER_SERVER_SNAPSHOT_METRICS_H_
#define KEPLER_SERVER_SNAPSHOT_METRICS_H_

#include <string>

#include "absl/time/time.h"
#include "server/snapshot.h"

namespace kepler::model::server {

// Exposition text for `snapshot` as seen at `now`.
std::string SnapshotMetricsText(const Snapshot& snapshot, absl::Time now);

}  // namespace kepler::model::server

#endif  // KEPLER_SERVER_SNAPSHOT_METRICS_H_
