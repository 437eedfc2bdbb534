#include "gateway/model_server_http.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gateway/model_request_json.h"
#include "gateway/model_response_json.h"
#include "gateway/status_mapping.h"
#include "server/snapshot_metrics.h"

namespace kepler::model::gateway {
namespace {

HttpResponse Text(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(body);
  if (!response.body.empty() && response.body.back() != '\n') response.body.push_back('\n');
  return response;
}

HttpResponse Json(std::string body) {
  HttpResponse response;
  response.body = std::move(body);
  return response;
}

std::vector<std::string> Pending(const StartupState& startup) {
  return startup.pending ? startup.pending() : std::vector<std::string>();
}

HttpResponse AnswerModel(server::ModelServerService& service, const StartupState& startup,
                         const HttpRequest& http) {
  auto request = ParseModelRequestJson(http.body);
  if (!request.ok()) return Text(400, std::string(request.status().message()));
  auto response = service.GetModel(*request);
  const absl::StatusCode code = response.status().code();
  if (!response.ok() &&
      (code == absl::StatusCode::kNotFound || code == absl::StatusCode::kFailedPrecondition)) {
    // Not a client error while a pipeline that may answer it is still being fetched.
    if (std::vector<std::string> pending = Pending(startup); !pending.empty()) {
      HttpResponse busy = Text(503, absl::StrCat("initial pipelines still loading (",
                                                 absl::StrJoin(pending, ", "), "): ",
                                                 response.status().message()));
      busy.headers.emplace_back("Retry-After", "5");
      return busy;
    }
  }
  if (!response.ok()) {
    // The reference answers 400 when no model matches; clients test for it.
    int status = response.status().code() == absl::StatusCode::kNotFound
                     ? 400
                     : ToHttpStatus(response.status());
    return Text(status, std::string(response.status().message()));
  }
  if (response->has_weights()) {
    auto body = WeightResponseJson(*response, service.options().error_key);
    if (!body.ok()) return Text(500, std::string(body.status().message()));
    return Json(*std::move(body));
  }
  HttpResponse zip;
  zip.content_type = "application/zip";
  zip.headers.emplace_back("Content-Disposition", absl::StrCat("attachment; filename=",
                                                               response->metadata().model_name(),
                                                               ".zip"));
  zip.body = std::move(*response->mutable_archive());
  return zip;
}

HttpResponse AnswerBestModels(server::ModelServerService& service, const HttpRequest& http) {
  auto answer = [&]() -> absl::StatusOr<std::string> {
    auto request = ParseBestModelsQuery(http.query);
    if (!request.ok()) return request.status();
    auto response = service.ListBestModels(*request);
    if (!response.ok()) return response.status();
    return BestModelsJson(*response);
  }();
  if (!answer.ok()) {
    return Text(400, absl::StrCat("failed to get best model list: ", answer.status().message()));
  }
  return Json(*std::move(answer));
}

// Times a handler and records its status under its route.
HttpHandler Measured(std::string route, RequestMetrics* metrics, HttpHandler handler) {
  return [route = std::move(route), metrics, handler = std::move(handler)](const HttpRequest& r) {
    absl::Time start = absl::Now();
    HttpResponse response = handler(r);
    metrics->Record(route, response.status, absl::ToDoubleSeconds(absl::Now() - start));
    return response;
  };
}

}  // namespace

std::vector<HttpServer::Route> ModelServerRoutes(server::ModelServerService* service,
                                                 const server::Repository* repository,
                                                 RequestMetrics* metrics, StartupState startup) {
  auto model = [service, startup](const HttpRequest& r) { return AnswerModel(*service, startup, r); };
  auto best = [service](const HttpRequest& r) { return AnswerBestModels(*service, r); };
  auto prometheus = [repository, metrics, startup](const HttpRequest&) {
    HttpResponse response = Text(200, metrics->Text() + server::SnapshotMetricsText(
                                                            *repository->Current(), absl::Now()) +
                                          (startup.metrics_text ? startup.metrics_text() : ""));
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return response;
  };
  auto healthz = [](const HttpRequest&) { return Text(200, "ok"); };
  auto readyz = [repository, startup](const HttpRequest&) {
    if (std::vector<std::string> pending = Pending(startup); !pending.empty()) {
      return Text(503, absl::StrCat("not ready: waiting for initial pipelines ",
                                    absl::StrJoin(pending, ", ")));
    }
    size_t models = repository->Current()->ModelCount();
    return models > 0 ? Text(200, absl::StrCat("ready: ", models, " models"))
                      : Text(503, "not ready: no model loaded");
  };
  return {
      {"POST", "/model", Measured("/model", metrics, model)},
      {"GET", "/best-models", Measured("/best-models", metrics, best)},
      {"GET", "/metrics", prometheus},
      {"GET", "/healthz", healthz},
      {"GET", "/readyz", readyz},
  };
}

}  // namespace kepler::model::gateway
