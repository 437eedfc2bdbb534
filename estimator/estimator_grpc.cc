#include "estimator/estimator_grpc.h"

#include "core/grpc_status.h"

namespace kepler::model::estimator {

grpc::Status EstimatorGrpc::EstimatePower(grpc::ServerContext*, const v1::EstimateRequest* request,
                                          v1::EstimateResponse* response) {
  auto result = service_->EstimatePower(*request);
  if (!result.ok()) return core::ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace kepler::model::estimator
