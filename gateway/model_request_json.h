// Legacy JSON of the model server's requests (contract §2.2, §2.7) into typed requests.
//
// Translation only: every field is read leniently (see legacy_json_fields.h), validated enough
// to name the offending field, and copied into the proto the ModelServer service takes.
#ifndef KEPLER_GATEWAY_MODEL_REQUEST_JSON_H_
#define KEPLER_GATEWAY_MODEL_REQUEST_JSON_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kepler/model/v1/model_server.pb.h"

namespace kepler::model::gateway {

// Parses a POST /model body. InvalidArgument naming the field for malformed JSON, a missing or
// mistyped field, an output type other than AbsPower/DynPower, or an unknown energy source.
// Unknown keys are ignored, so newer clients keep working.
absl::StatusOr<v1::GetModelRequest> ParseModelRequestJson(absl::string_view body);

// Parses GET /best-models query parameters (energy-source, output-type, feature-group,
// node-type, filter). InvalidArgument naming a bad value.
absl::StatusOr<v1::ListBestModelsRequest> ParseBestModelsQuery(
    const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace kepler::model::gateway

#endif  // KEPLER_GATEWAY_MODEL_REQUEST_JSON_H_
