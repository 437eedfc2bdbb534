#include "trainer/prometheus_client.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "core/json_util.h"
#include "core/status_macros.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace kepler::model::trainer {
namespace {

constexpr char kReasonUrl[] = "type.kepler.model/trainer.PrometheusFailureReason";

absl::Status WithReason(absl::Status status, absl::string_view reason) {
  status.SetPayload(kReasonUrl, absl::Cord(reason));
  return status;
}

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string UrlEncode(absl::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppendFormat(&out, "%%%02X", c);
    }
  }
  return out;
}

std::string Seconds(absl::Time time) {
  return absl::StrFormat("%.3f", absl::ToDoubleSeconds(time - absl::UnixEpoch()));
}

// One request's context: where, and until when.
struct Call {
  core::HttpClient& http;
  const PrometheusQuery& query;
  absl::Time deadline;
};

std::string ApiUrl(const PrometheusQuery& query, absl::string_view path) {
  absl::string_view server = query.server;
  while (absl::EndsWith(server, "/")) server.remove_suffix(1);
  return absl::StrCat(server, path);
}

absl::Status TransportError(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kDeadlineExceeded:
      return WithReason(status, "timeout");
    case absl::StatusCode::kResourceExhausted:  // an answer over max_response_bytes
      return WithReason(status, "bad_response");
    default:
      return WithReason(status, "unreachable");
  }
}

// The error of an answer whose `status` is not "success"; `doc` is its parsed body.
absl::Status ErrorEnvelope(const rapidjson::Document& doc, long http_status, const std::string& url) {
  const rapidjson::Value* type = core::FindMember(doc, "errorType");
  const rapidjson::Value* error = core::FindMember(doc, "error");
  std::string what = absl::StrCat(
      type && type->IsString() ? core::StringView(*type) : "unknown", ": ",
      error && error->IsString() ? core::StringView(*error) : "no message");
  std::string message = absl::StrCat("Prometheus answered HTTP ", http_status, " (", what, ") to ", url);
  if (type && type->IsString() && core::StringView(*type) == "timeout") {
    return WithReason(absl::DeadlineExceededError(message), "timeout");
  }
  if (http_status == 503 || (type && type->IsString() && core::StringView(*type) == "unavailable")) {
    return WithReason(absl::UnavailableError(message), "error_response");
  }
  return WithReason(absl::FailedPreconditionError(message), "error_response");
}

absl::Status HttpError(const core::HttpResult& result, const std::string& url) {
  std::string message = absl::StrCat("HTTP ", result.status, " from ", url, ": ",
                                     result.body.substr(0, 200));
  return WithReason(result.status >= 500 ? absl::UnavailableError(message)
                                         : absl::FailedPreconditionError(message),
                    "http_error");
}

// GETs `url` and returns the envelope's `data` member (moved into a document of its own).
absl::StatusOr<rapidjson::Document> GetData(const Call& call, const std::string& url) {
  absl::Duration left = call.deadline - absl::Now();
  if (left <= absl::ZeroDuration()) {
    return WithReason(absl::DeadlineExceededError(absl::StrCat(
                          "capture took longer than ", absl::FormatDuration(call.query.total_timeout),
                          "; not fetched: ", url)),
                      "timeout");
  }
  core::FetchOptions options;
  options.timeout = std::min(call.query.request_timeout, left);
  options.connect_timeout = std::min(options.connect_timeout, options.timeout);
  options.max_bytes = call.query.max_response_bytes;
  options.verify_tls = call.query.verify_tls;
  absl::StatusOr<core::HttpResult> result = call.http.Get(url, options);
  if (!result.ok()) return TransportError(result.status());
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(result->body.data(), result->body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    if (result->status != 200) return HttpError(*result, url);
    return WithReason(absl::DataLossError(absl::StrCat("not a JSON object from ", url, ": ",
                                                       result->body.substr(0, 200))),
                      "bad_response");
  }
  const rapidjson::Value* status = core::FindMember(doc, "status");
  if (!status || !status->IsString() || core::StringView(*status) != "success") {
    return ErrorEnvelope(doc, result->status, url);
  }
  if (result->status != 200) return HttpError(*result, url);
  const rapidjson::Value* warnings = core::FindMember(doc, "warnings");
  if (warnings && warnings->IsArray() && !warnings->Empty()) {
    const rapidjson::Value& first = (*warnings)[0];
    return WithReason(absl::UnavailableError(absl::StrCat(
                          "Prometheus warns its answer may be incomplete (",
                          first.IsString() ? core::StringView(first) : "?", ") from ", url)),
                      "partial");
  }
  auto data = doc.FindMember("data");
  if (data == doc.MemberEnd()) {
    return WithReason(absl::DataLossError(absl::StrCat("no 'data' from ", url)), "bad_response");
  }
  rapidjson::Document out;
  out.CopyFrom(data->value, out.GetAllocator());
  return out;
}

absl::Status BadShape(absl::string_view what, const std::string& url) {
  return WithReason(absl::DataLossError(absl::StrCat(what, " from ", url)), "bad_response");
}

// The result list of one range query (an array, possibly empty).
absl::StatusOr<rapidjson::Document> QueryRange(const Call& call, const std::string& name,
                                               absl::Time start, absl::Time end) {
  std::string url = absl::StrCat(ApiUrl(call.query, "/api/v1/query_range"),
                                 "?query=", UrlEncode(name), "&start=", Seconds(start),
                                 "&end=", Seconds(end), "&step=",
                                 absl::StrFormat("%g", absl::ToDoubleSeconds(call.query.step)));
  ASSIGN_OR_RETURN(rapidjson::Document data, GetData(call, url));
  const rapidjson::Value* type = core::FindMember(data, "resultType");
  if (!type || !type->IsString() || core::StringView(*type) != "matrix") {
    return BadShape("a query_range answer whose resultType is not \"matrix\"", url);
  }
  auto result = data.FindMember("result");
  if (result == data.MemberEnd() || !result->value.IsArray()) {
    return BadShape("a query_range answer without a result list", url);
  }
  rapidjson::Document out;
  out.CopyFrom(result->value, out.GetAllocator());
  return out;
}

absl::StatusOr<std::vector<std::string>> ListNames(const Call& call) {
  std::string url = ApiUrl(call.query, "/api/v1/label/__name__/values");
  ASSIGN_OR_RETURN(rapidjson::Document data, GetData(call, url));
  if (!data.IsArray()) return BadShape("label values that are not a list", url);
  std::vector<std::string> names;
  for (const auto& value : data.GetArray()) {
    if (!value.IsString()) return BadShape("a label value that is not a string", url);
    absl::string_view name = core::StringView(value);
    if (absl::StrContains(name, call.query.name_filter)) names.emplace_back(name);
  }
  names.insert(names.end(), call.query.extra_metrics.begin(), call.query.extra_metrics.end());
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

// A failure after `done` of `total` metrics were read: partial when some were.
absl::Status QueryFailed(const absl::Status& status, const std::string& name, size_t done,
                         size_t total) {
  std::string message = absl::StrCat("query_range ", name, " (metric ", done + 1, " of ", total,
                                     "): ", status.message());
  absl::Status out(status.code(), message);
  return WithReason(out, done == 0 ? PrometheusFailureReason(status) : "partial");
}

Call MakeCall(core::HttpClient& http, const PrometheusQuery& query) {
  return Call{http, query, absl::Now() + query.total_timeout};
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ListMetricNames(core::HttpClient& http,
                                                         const PrometheusQuery& query) {
  return ListNames(MakeCall(http, query));
}

absl::StatusOr<std::string> QueryCapture(core::HttpClient& http, const PrometheusQuery& query) {
  Call call = MakeCall(http, query);
  absl::Time end = query.end == absl::InfiniteFuture() ? absl::Now() : query.end;
  absl::Time start = end - query.interval;
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListNames(call));
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  size_t kept = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    absl::StatusOr<rapidjson::Document> result = QueryRange(call, names[i], start, end);
    if (!result.ok()) return QueryFailed(result.status(), names[i], i, names.size());
    if (result->Empty()) continue;
    writer.Key(names[i].data(), static_cast<rapidjson::SizeType>(names[i].size()));
    result->Accept(writer);
    ++kept;
  }
  writer.EndObject();
  if (kept == 0) {
    return WithReason(absl::NotFoundError(absl::StrCat(
                          "no metric containing '", query.name_filter, "' has samples in [",
                          Seconds(start), ", ", Seconds(end), "] at ", query.server, " (",
                          names.size(), " metrics queried)")),
                      "no_data");
  }
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string PrometheusFailureReason(const absl::Status& status) {
  absl::optional<absl::Cord> reason = status.GetPayload(kReasonUrl);
  return reason.has_value() ? std::string(*reason) : std::string();
}

}  // namespace kepler::model::trainer
