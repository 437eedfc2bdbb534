// The model server's legacy HTTP endpoints on :8100 (contract §2), as routes for HttpServer.
//
//   POST /model        legacy ModelRequest JSON -> weight document JSON or model archive (zip)
//   GET  /best-models  best model name per output type and feature group
//   GET  /metrics      Prometheus text: requests, latency, loaded models, served weights
//   GET  /healthz      200 while the process serves
//   GET  /readyz       200 once the initial pipelines are settled and a snapshot with at least
//                      one model is loaded, else 503 naming what it waits for
// While initial pipelines are still being fetched, a POST /model that finds no model answers
// 503 with Retry-After (a pending pipeline may serve it), not the reference's 400.
//
// Translation only: JSON is parsed into the proto the ModelServerService takes and the answer
// is written in the legacy shape. Errors are one-line text/plain bodies; "no model" stays a 400
// as in the reference, since clients test the status code.
#ifndef KEPLER_GATEWAY_MODEL_SERVER_HTTP_H_
#define KEPLER_GATEWAY_MODEL_SERVER_HTTP_H_

#include <functional>
#include <string>
#include <vector>

#include "gateway/http_server.h"
#include "gateway/request_metrics.h"
#include "server/model_server_service.h"
#include "server/repository.h"

namespace kepler::model::gateway {

// What the server still waits for at start, and its metrics (server/initial_pipelines.h).
struct StartupState {
  // The initial pipeline URLs not installed or failed for good yet; null: none configured.
  std::function<std::vector<std::string>()> pending;
  // Extra Prometheus text for /metrics; null: none.
  std::function<std::string()> metrics_text;
};

// Routes over `service`; every pointer must outlive the routes.
std::vector<HttpServer::Route> ModelServerRoutes(server::ModelServerService* service,
                                                 const server::Repository* repository,
                                                 RequestMetrics* metrics,
                                                 StartupState startup = {});

}  // namespace kepler::model::gateway

#endif  // KEPLER_GATEWAY_MODEL_SERVER_HTTP_H_
