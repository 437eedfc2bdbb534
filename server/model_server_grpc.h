// gRPC adapter of the ModelServer service: converts, calls ModelServerService, converts the
// status. No logic of its own.
#ifndef KEPLER_SERVER_MODEL_SERVER_GRPC_H_
#define KEPLER_SERVER_MODEL_SERVER_GRPC_H_

#include "kepler/model/v1/model_server.grpc.pb.h"
#include "server/model_server_service.h"

namespace kepler::model::server {

class ModelServerGrpc final : public v1::ModelServer::Service {
 public:
  // `service` must outlive this adapter.
  explicit ModelServerGrpc(ModelServerService* service) : service_(service) {}

  grpc::Status GetModel(grpc::ServerContext* context, const v1::GetModelRequest* request,
                        v1::GetModelResponse* response) override;
  grpc::Status ListBestModels(grpc::ServerContext* context,
                              const v1::ListBestModelsRequest* request,
                              v1::ListBestModelsResponse* response) override;
  grpc::Status ListModels(grpc::ServerContext* context, const v1::ListModelsRequest* request,
                          v1::ListModelsResponse* response) override;

 private:
  ModelServerService* service_;
};

}  // namespace kepler::model::server

#endif  // KEPLER_SERVER_MODEL_SERVER_GRPC_H_
