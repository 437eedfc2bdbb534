// The offline trainer's legacy HTTP endpoint on :8102 (contract §4), as routes for HttpServer.
//
//   POST /train   legacy TrainRequest JSON -> the trained pipeline as application/zip
//   GET  /healthz 200 while the process serves
//
// Translation only. A malformed request or an impossible training is a 400 naming the field or
// what is missing; a full queue is a 429 with the reason; bodies over the server's limit are
// refused with 413 by HttpServer before they are read.
#ifndef KEPLER_GATEWAY_TRAINER_HTTP_H_
#define KEPLER_GATEWAY_TRAINER_HTTP_H_

#include <vector>

#include "gateway/http_server.h"
#include "gateway/request_metrics.h"
#include "trainer/trainer_service.h"

namespace kepler::model::gateway {

// Routes over `service`; the pointers must outlive the routes.
std::vector<HttpServer::Route> TrainerRoutes(trainer::TrainerService* service,
                                             RequestMetrics* metrics);

}  // namespace kepler::model::gateway

#endif  // KEPLER_GATEWAY_TRAINER_HTTP_H_
