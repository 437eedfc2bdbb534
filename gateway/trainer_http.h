// The offline trainer's legacy HTTP endpoint on :8102 (contract §4), as routes for HttpServer.
//
//   POST /train   legacy TrainRequest JSON -> the trained pipeline as application/zip
//   GET  /healthz 200 while the process serves
//   GET  /metrics request counters, then `more_metrics()` (e.g. the online trainer's) if given
//
// Translation only. A malformed request or an impossible training is a 400 naming the field or
// what is missing; a full queue is a 429 with the reason; bodies over the server's limit are
// refused with 413 by HttpServer before they are read.
#ifndef KEPLER_GATEWAY_TRAINER_HTTP_H_
#define KEPLER_GATEWAY_TRAINER_HTTP_H_

#include <functional>
#include <string>
#include <vector>

#include "gateway/http_server.h"
#include "gateway/request_metrics.h"
#include "trainer/trainer_service.h"

namespace kepler::model::gateway {

// Routes over `service`; the pointers must outlive the routes. `more_metrics`, when set, returns
// exposition text appended to GET /metrics (called on the I/O threads; must be thread-safe).
std::vector<HttpServer::Route> TrainerRoutes(trainer::TrainerService* service,
                                             RequestMetrics* metrics,
                                             std::function<std::string()> more_metrics = nullptr);

}  // namespace kepler::model::gateway

#endif  // KEPLER_GATEWAY_TRAINER_HTTP_H_
