// What the estimator needs a model for: the fields of a power request that change the answer.
//
// What: energy source, output type, the request's feature columns, and the optional trainer name
// and filter. Why: shared by ModelAcquirer, the ModelServerClient interface it asks the model
// server through, and the cache key, without those headers including each other. How: built by
// EstimatorService from an EstimateRequest (source normalised, features sorted and unique).
//
// Thread-safety: a plain value; no shared state.
#ifndef KEPLER_ESTIMATOR_ACQUIRE_REQUEST_H_
#define KEPLER_ESTIMATOR_ACQUIRE_REQUEST_H_

#include <string>
#include <vector>

#include "kepler/model/v1/types.pb.h"

namespace kepler::model::estimator {

struct AcquireRequest {
  // Normalised energy source.
  std::string source;
  v1::OutputType output_type = v1::AbsPower;
  // Every column the request provides: metrics and system features, sorted and unique.
  std::vector<std::string> features;
  // Trainer the model must come from; empty: any.
  std::string trainer_name;
  // Model filter expression (core::ModelFilter); empty: none.
  std::string filter;
};

}  // namespace kepler::model::estimator

#endif  // KEPLER_ESTIMATOR_ACQUIRE_REQUEST_H_
