// Typed model-server responses into the legacy HTTP bodies (contract §2.2 steps 4–5, §2.7).
//
// JSON bodies are written as Flask writes them (sorted keys, ", " and ": " separators), numbers
// in shortest round-trip form, integers as integers, so byte-level diffs against the reference
// stay small and Go's decoder (which rejects 96.0 for an int) is happy.
#ifndef KEPLER_GATEWAY_MODEL_RESPONSE_JSON_H_
#define KEPLER_GATEWAY_MODEL_RESPONSE_JSON_H_

#include <string>

#include "absl/status/statusor.h"
#include "kepler/model/v1/model_server.pb.h"

namespace kepler::model::gateway {

// The weight document of a weight=true answer. When the request's node type was "any", the
// reference adds `model_name`, `machine_spec` (when the model has one) and the error key's value
// at the top level; Kepler sends node_type 0 and so gets the component keys only.
absl::StatusOr<std::string> WeightResponseJson(const v1::GetModelResponse& response,
                                               const std::string& error_key);

// {"AbsPower": {"BPFOnly": "<model>", ...}, "DynPower": {...}}.
absl::StatusOr<std::string> BestModelsJson(const v1::ListBestModelsResponse& response);

}  // namespace kepler::model::gateway

#endif  // KEPLER_GATEWAY_MODEL_RESPONSE_JSON_H_
