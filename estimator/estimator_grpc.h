// gRPC adapter of the Estimator service: converts, calls EstimatorService, converts the status.
#ifndef KEPLER_ESTIMATOR_ESTIMATOR_GRPC_H_
#define KEPLER_ESTIMATOR_ESTIMATOR_GRPC_H_

#include "estimator/estimator_service.h"
#include "kepler/model/v1/estimator.grpc.pb.h"

namespace kepler::model::estimator {

class EstimatorGrpc final : public v1::Estimator::Service {
 public:
  // `service` must outlive this adapter.
  explicit EstimatorGrpc(EstimatorService* service) : service_(service) {}

  grpc::Status EstimatePower(grpc::ServerContext* context, const v1::EstimateRequest* request,
                             v1::EstimateResponse* response) override;

 private:
  EstimatorService* service_;
};

}  // namespace kepler::model::estimator

#endif  // KEPLER_ESTIMATOR_ESTIMATOR_GRPC_H_
