// The offline trainer's legacy TrainRequest JSON (contract §4) into the typed TrainRequest.
//
// Requests carry whole Prometheus captures (tens to hundreds of MB), so the body is read with a
// streaming (SAX) parser that records where `prom_response` and `trainer.idle_prom_response`
// start and end and copies those bytes as they are; the trainer parses them once, columnar.
// Everything else is small and read as it streams by.
#ifndef KEPLER_GATEWAY_TRAIN_REQUEST_JSON_H_
#define KEPLER_GATEWAY_TRAIN_REQUEST_JSON_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kepler/model/v1/trainer.pb.h"

namespace kepler::model::gateway {

// InvalidArgument naming the field for malformed JSON, wrong types, unknown trainer names or a
// missing prom_response. Unknown keys are ignored.
absl::StatusOr<v1::TrainRequest> ParseTrainRequestJson(absl::string_view body);

}  // namespace kepler::model::gateway

#endif  // KEPLER_GATEWAY_TRAIN_REQUEST_JSON_H_
