// Reading a capture of Kepler metrics from a Prometheus server (contract §5.1, kepler-clients §6).
//
// What: QueryCapture() lists the metric names (GET /api/v1/label/__name__/values), keeps those
// containing `name_filter` ("kepler_") plus `extra_metrics` (PROM_THIRDPARTY_METRICS), issues one
// GET /api/v1/query_range per name (the name itself as PromQL) over [end - interval, end] at
// `step`, and assembles the capture the trainer reads: a JSON object mapping each name to its
// `data.result` list, names in sorted order, empty results dropped (trainer/capture.h parses it).
// Why: the online trainer and the `kepler-model query` CLI both need exactly this snapshot, with
// failures they can log and count: a capture trained on half the metrics would publish wrong
// models, so any failed query fails the whole capture.
// How:
//   std::unique_ptr<core::HttpClient> http = core::NewCurlHttpClient();
//   PrometheusQuery query;
//   query.server = "http://prometheus:9090";
//   absl::StatusOr<std::string> capture = QueryCapture(*http, query);
//   if (!capture.ok()) log(PrometheusFailureReason(capture.status()), capture.status());
//
// Errors carry a reason (PrometheusFailureReason) and a message naming the URL or metric:
//   "timeout"        a request (or the whole capture, total_timeout) ran out of time
//   "unreachable"    no HTTP answer: refused, unresolvable, reset, TLS failure, bad URL
//   "http_error"     an HTTP status other than 200 without a Prometheus error envelope
//   "error_response" Prometheus answered {"status":"error", "errorType", "error"}
//   "bad_response"   the body is not the documented JSON shape (not JSON, not a matrix, ...) or
//                    is larger than max_response_bytes
//   "partial"        some metrics were read and a later one failed, or Prometheus answered with
//                    warnings (its data may be incomplete)
//   "no_data"        no matching metric has samples in the range
// Codes follow the cause: the HTTP client's for transport failures (DeadlineExceeded,
// Unavailable, ResourceExhausted, InvalidArgument), Unavailable for HTTP 5xx and 503 envelopes,
// FailedPrecondition for other error envelopes and HTTP 4xx, DataLoss for a malformed answer,
// NotFound for no data; "partial" keeps its cause's code.
//
// Thread-safety: stateless functions; safe to call concurrently with a thread-safe HttpClient.
#ifndef KEPLER_TRAINER_PROMETHEUS_CLIENT_H_
#define KEPLER_TRAINER_PROMETHEUS_CLIENT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/http_client.h"

namespace kepler::model::trainer {

// What to read from Prometheus, and how patiently. Defaults are the contract's (§8.2).
struct PrometheusQuery {
  // Base URL of the server (PROM_SERVER); a trailing '/' is ignored. A path prefix is kept
  // ("http://host/prometheus" queries "http://host/prometheus/api/v1/...").
  std::string server = "http://localhost:9090";
  // Length of the range (PROM_QUERY_INTERVAL): [end - interval, end]. Default 300 s.
  absl::Duration interval = absl::Seconds(300);
  // Resolution of the range query (PROM_QUERY_STEP). Default 3 s.
  absl::Duration step = absl::Seconds(3);
  // End of the range; absl::InfiniteFuture() (default) means the time of the call.
  absl::Time end = absl::InfiniteFuture();
  // Metric names containing this are queried. Default "kepler_" (the reference's filter).
  std::string name_filter = "kepler_";
  // Further metric names queried as well, listed or not (PROM_THIRDPARTY_METRICS). Default none.
  std::vector<std::string> extra_metrics;
  // Verify the server's TLS certificate; PROM_SSL_DISABLE=true (the default) turns it off.
  bool verify_tls = false;
  // Limit of each HTTP request. Default 30 s.
  absl::Duration request_timeout = absl::Seconds(30);
  // Limit of the whole capture, every request included. Default 5 min.
  absl::Duration total_timeout = absl::Minutes(5);
  // Largest accepted response body. Default 256 MiB.
  size_t max_response_bytes = size_t{256} << 20;
};

// The capture JSON (name -> result list) for `query`; see the file comment for the errors.
[[nodiscard]] absl::StatusOr<std::string> QueryCapture(core::HttpClient& http,
                                                       const PrometheusQuery& query);

// The metric names QueryCapture would query (listed names containing name_filter, then the
// extra metrics), sorted and without repeats; errors as QueryCapture's.
[[nodiscard]] absl::StatusOr<std::vector<std::string>> ListMetricNames(
    core::HttpClient& http, const PrometheusQuery& query);

// The reason of an error from this file ("timeout", "unreachable", ...), or "" for OK and for
// statuses from elsewhere.
std::string PrometheusFailureReason(const absl::Status& status);

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_PROMETHEUS_CLIENT_H_
