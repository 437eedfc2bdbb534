// The estimator's legacy unix-socket protocol (contract §1.1–1.4) over EstimatorService.
//
// UnixSocketServer frames one JSON object per connection (docs/socket-framing.md); this handler
// turns it into an EstimateRequest, calls the same service the gRPC adapter calls, and answers
// the legacy JSON in one compact string. Every failure is an answer with `msg`, never a crash.
#ifndef KEPLER_GATEWAY_ESTIMATOR_SOCKET_H_
#define KEPLER_GATEWAY_ESTIMATOR_SOCKET_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "estimator/estimator_service.h"

namespace kepler::model::gateway {

// The reply to one request read from the socket (possibly empty or truncated).
std::string AnswerPowerRequest(estimator::EstimatorService& service, absl::string_view request);

// The reply when the transport itself failed (oversize request, timeout).
std::string AnswerTransportError(const absl::Status& error);

}  // namespace kepler::model::gateway

#endif  // KEPLER_GATEWAY_ESTIMATOR_SOCKET_H_
