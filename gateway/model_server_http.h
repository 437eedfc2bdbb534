// The model server's legacy HTTP endpoints on :8100 (contract §2), as routes for HttpServer.
//
//   POST /model        legacy ModelRequest JSON -> weight document JSON or model archive (zip)
//   GET  /best-models  best model name per output type and feature group
//   GET  /metrics      Prometheus text: requests, latency, loaded models, served weights
//   GET  /healthz      200 while the process serves
//   GET  /readyz       200 once a snapshot with at least one model is loaded, else 503
//
// Translation only: JSON is parsed into the proto the ModelServerService takes and the answer
// is written in the legacy shape. Errors are one-line text/plain bodies; "no model" stays a 400
// as in the reference, since clients test the status code.
#ifndef KEPLER_GATEWAY_MODEL_SERVER_HTTP_H_
#define KEPLER_GATEWAY_MODEL_SERVER_HTTP_H_

#include <vector>

#include "gateway/http_server.h"
#include "gateway/request_metrics.h"
#include "server/model_server_service.h"
#include "server/repository.h"

namespace kepler::model::gateway {

// Routes over `service`; every pointer must outlive the routes.
std::vector<HttpServer::Route> ModelServerRoutes(server::ModelServerService* service,
                                                 const server::Repository* repository,
                                                 RequestMetrics* metrics);

}  // namespace kepler::model::gateway

#endif  // KEPLER_GATEWAY_MODEL_SERVER_HTTP_H_
