// The one mapping of absl::Status codes to HTTP status codes used by every HTTP handler.
#ifndef KEPLER_GATEWAY_STATUS_MAPPING_H_
#define KEPLER_GATEWAY_STATUS_MAPPING_H_

#include "absl/status/status.h"

namespace kepler::model::gateway {

// OK 200; InvalidArgument, FailedPrecondition, OutOfRange 400; NotFound 404; ResourceExhausted
// 429; Unavailable 503; DeadlineExceeded 504; Unimplemented 501; everything else 500.
int ToHttpStatus(const absl::Status& status);

}  // namespace kepler::model::gateway

#endif  // KEPLER_GATEWAY_STATUS_MAPPING_H_
