// gRPC adapter of the Trainer service: Train streams progress messages, then the result.
#ifndef KEPLER_TRAINER_TRAINER_GRPC_H_
#define KEPLER_TRAINER_TRAINER_GRPC_H_

#include "kepler/model/v1/trainer.grpc.pb.h"
#include "trainer/trainer_service.h"

namespace kepler::model::trainer {

class TrainerGrpc final : public v1::Trainer::Service {
 public:
  // `service` must outlive this adapter.
  explicit TrainerGrpc(TrainerService* service) : service_(service) {}

  grpc::Status Train(grpc::ServerContext* context, const v1::TrainRequest* request,
                     grpc::ServerWriter<v1::TrainReply>* writer) override;

 private:
  TrainerService* service_;
};

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_TRAINER_GRPC_H_
