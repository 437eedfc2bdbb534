// `kepler-model query`: fetch a capture of Kepler metrics from a Prometheus server into a file.
//
// What: reads every `kepler_*` metric (plus --extra-metrics) over [end - interval, end] at
// `step` from the Prometheus HTTP API (trainer/prometheus_client.h, the online trainer's client),
// checks that the result parses as a capture, writes it atomically, and reports its queries,
// samples, time range and the feature groups it can train. Defaults come from the service's
// configuration (contract §8.2): PROM_SERVER, PROM_QUERY_INTERVAL, PROM_QUERY_STEP,
// PROM_SSL_DISABLE and PROM_THIRDPARTY_METRICS, read by the entry point only.
// Why: the first step of training a pipeline for a cluster: capture a benchmark run, then
// `kepler-model train` it (possibly several captures together).
//
// Thread-safety: Query is reentrant with a thread-safe HttpClient.
#ifndef KEPLER_TOOLS_CLI_QUERY_COMMAND_H_
#define KEPLER_TOOLS_CLI_QUERY_COMMAND_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/http_client.h"
#include "kepler/model/v1/types.pb.h"
#include "tools/cli/command.h"
#include "trainer/prometheus_client.h"

namespace kepler::model::tools::cli {

struct QueryOptions {
  trainer::PrometheusQuery query;
  // Capture file to write. Required.
  std::string output;
};

struct QuerySummary {
  size_t bytes = 0;
  size_t queries = 0;
  size_t samples = 0;
  std::optional<std::pair<double, double>> time_range;  // first and last sample (s)
  std::vector<v1::FeatureGroup> trainable_groups;
};

// Fetches, validates and writes the capture. Errors keep the client's codes and messages
// (unreachable server, error responses, no data), prefixed with the failure reason.
absl::StatusOr<QuerySummary> Query(core::HttpClient& http, const QueryOptions& options);

// Entry point of `kepler-model query`.
int QueryMain(const std::vector<std::string>& args, CommandIo& io);

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_QUERY_COMMAND_H_
