#include "trainer/trainer_grpc.h"

#include "core/grpc_status.h"

namespace kepler::model::trainer {

grpc::Status TrainerGrpc::Train(grpc::ServerContext*, const v1::TrainRequest* request,
                                grpc::ServerWriter<v1::TrainReply>* writer) {
  // The pipeline calls progress serialised, so writes never overlap.
  auto progress = [writer](const v1::TrainProgress& progress) {
    v1::TrainReply reply;
    *reply.mutable_progress() = progress;
    writer->Write(reply);
  };
  auto result = service_->Train(*request, progress);
  if (!result.ok()) return core::ToGrpcStatus(result.status());
  v1::TrainReply reply;
  *reply.mutable_result() = *std::move(result);
  writer->Write(reply);
  return grpc::Status::OK;
}

}  // namespace kepler::model::trainer
