#include "gateway/estimator_socket.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gateway/power_request_json.h"

namespace kepler::model::gateway {

std::string AnswerPowerRequest(estimator::EstimatorService& service, absl::string_view request) {
  if (absl::StripAsciiWhitespace(request).empty()) {
    return PowerErrorJson("failed to handle request: empty request");
  }
  auto parsed = ParsePowerRequestJson(request);
  if (!parsed.ok()) return PowerErrorJson(parsed.status().message());
  auto response = service.EstimatePower(*parsed);
  if (!response.ok()) return PowerErrorJson(response.status().message());
  return PowerResponseJson(*response);
}

std::string AnswerTransportError(const absl::Status& error) {
  return PowerErrorJson(absl::StrCat("failed to handle request: ", error.message()));
}

}  // namespace kepler::model::gateway
