#include "gateway/trainer_http.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/status_mapping.h"
#include "gateway/train_request_json.h"

namespace kepler::model::gateway {
namespace {

HttpResponse Text(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(body) + "\n";
  return response;
}

HttpResponse AnswerTrain(trainer::TrainerService& service, const HttpRequest& http) {
  auto request = ParseTrainRequestJson(http.body);
  if (!request.ok()) return Text(400, std::string(request.status().message()));
  auto result = service.Train(*request);
  if (!result.ok()) return Text(ToHttpStatus(result.status()), std::string(result.status().message()));
  HttpResponse zip;
  zip.content_type = "application/zip";
  zip.headers.emplace_back("Content-Disposition",
                           absl::StrCat("attachment; filename=", result->archive_name()));
  zip.body = std::move(*result->mutable_archive());
  return zip;
}

}  // namespace

std::vector<HttpServer::Route> TrainerRoutes(trainer::TrainerService* service,
                                             RequestMetrics* metrics,
                                             std::function<std::string()> more_metrics) {
  auto train = [service, metrics](const HttpRequest& request) {
    absl::Time start = absl::Now();
    HttpResponse response = AnswerTrain(*service, request);
    metrics->Record("/train", response.status, absl::ToDoubleSeconds(absl::Now() - start));
    return response;
  };
  auto healthz = [](const HttpRequest&) { return Text(200, "ok"); };
  auto prometheus = [metrics, more_metrics](const HttpRequest&) {
    HttpResponse response = Text(200, metrics->Text() + (more_metrics ? more_metrics() : ""));
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return response;
  };
  return {{"POST", "/train", train}, {"GET", "/healthz", healthz}, {"GET", "/metrics", prometheus}};
}

}  // namespace kepler::model::gateway
