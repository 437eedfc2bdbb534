#include "server/model_server_grpc.h"

#include "core/grpc_status.h"

namespace kepler::model::server {
namespace {

template <typename Response>
grpc::Status Answer(absl::StatusOr<Response> result, Response* response) {
  if (!result.ok()) return core::ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status ModelServerGrpc::GetModel(grpc::ServerContext*, const v1::GetModelRequest* request,
                                       v1::GetModelResponse* response) {
  return Answer(service_->GetModel(*request), response);
}

grpc::Status ModelServerGrpc::ListBestModels(grpc::ServerContext*,
                                             const v1::ListBestModelsRequest* request,
                                             v1::ListBestModelsResponse* response) {
  return Answer(service_->ListBestModels(*request), response);
}

grpc::Status ModelServerGrpc::ListModels(grpc::ServerContext*, const v1::ListModelsRequest* request,
                                         v1::ListModelsResponse* response) {
  return Answer(service_->ListModels(*request), response);
}

}  // namespace kepler::model::server
