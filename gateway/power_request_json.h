// The estimator socket's legacy JSON (contract §1.3–1.4, kepler-clients §2) <-> typed messages.
//
// Answers are compact (no spaces) with watts rounded to milliwatts, Kepler's own unit, so that
// 100 rows of four components fit the 4096 bytes Kepler reads in its single read. `powers` is
// always an object, on errors too (the reference answers a list there, which Kepler cannot
// decode); `core_ratio` is always present, 0 on errors, which Kepler ignores (it uses the ratio
// only when > 0).
#ifndef KEPLER_GATEWAY_POWER_REQUEST_JSON_H_
#define KEPLER_GATEWAY_POWER_REQUEST_JSON_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kepler/model/v1/estimator.pb.h"

namespace kepler::model::gateway {

// Parses a PowerRequest. InvalidArgument with the reference's messages: "output type X is not
// supported" for an unknown output type, "failed to handle request: <reason>" for anything
// else malformed (not JSON, missing or mistyped fields, a non-numeric row value).
absl::StatusOr<v1::EstimateRequest> ParsePowerRequestJson(absl::string_view text);

// The same into `*request`, which is cleared first and may live on a protobuf arena: a
// 1,000-row request is 2,000 heap allocations as a plain message, a few blocks on an arena.
[[nodiscard]] absl::Status ParsePowerRequestJson(absl::string_view text,
                                                 v1::EstimateRequest* request);

// {"powers":{"package":[100.844,76.902],...},"msg":"","core_ratio":1}
// Watts must be finite (core::Model guarantees it); from 1e15 up they are written unrounded.
std::string PowerResponseJson(const v1::EstimateResponse& response);

// {"powers":{},"msg":"<message>","core_ratio":0}
std::string PowerErrorJson(absl::string_view message);

}  // namespace kepler::model::gateway

#endif  // KEPLER_GATEWAY_POWER_REQUEST_JSON_H_
