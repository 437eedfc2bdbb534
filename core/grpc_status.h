// The one conversion of absl::Status to grpc::Status used by every gRPC adapter.
#ifndef KEPLER_CORE_GRPC_STATUS_H_
#define KEPLER_CORE_GRPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace kepler::model::core {

// Same code (the enums share numbering), same message.
inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_GRPC_STATUS_H_
