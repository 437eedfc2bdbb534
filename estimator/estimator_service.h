// The Estimator service: transport-free implementation of EstimatePower (contract §1.3–1.5).
//
// Validates the rows (row length, finite values, numeric system values), builds the feature
// table (metrics plus system features broadcast to every row, columns matched by name), gets the
// model for (source, output type, feature set, trainer, filter) from the cache or the acquirer,
// and predicts every row at once. A model that fails to predict valid input is evicted.
//
// Thread-safe; `acquirer` and `cache` must outlive the service.
#ifndef KEPLER_ESTIMATOR_ESTIMATOR_SERVICE_H_
#define KEPLER_ESTIMATOR_ESTIMATOR_SERVICE_H_

#include "absl/status/statusor.h"
#include "estimator/model_acquirer.h"
#include "estimator/model_cache.h"
#include "kepler/model/v1/estimator.pb.h"

namespace kepler::model::estimator {

class EstimatorService {
 public:
  EstimatorService(const ModelAcquirer* acquirer, ModelCache* cache)
      : acquirer_(acquirer), cache_(cache) {}

  // Watts per component per row. InvalidArgument for a malformed request (its message names
  // the row, column or field); the acquirer's error when no model can be had; Internal when the
  // model fails on valid input.
  absl::StatusOr<v1::EstimateResponse> EstimatePower(const v1::EstimateRequest& request);

 private:
  const ModelAcquirer* acquirer_;
  ModelCache* cache_;
};

}  // namespace kepler::model::estimator

#endif  // KEPLER_ESTIMATOR_ESTIMATOR_SERVICE_H_
