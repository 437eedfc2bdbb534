// Turns the model server's weight answer into a model archive the loader evaluates.
//
// A weight=true answer to a request without node type is the weight document plus
// `model_name`, `machine_spec` and the error key (contract §2.2 step 4). Packing it as an
// archive (metadata.json + weight.json) lets it go through the same checks, loader and local
// copy as every other model.
#ifndef KEPLER_ESTIMATOR_WEIGHT_ANSWER_H_
#define KEPLER_ESTIMATOR_WEIGHT_ANSWER_H_

#include <string>

#include "absl/status/statusor.h"
#include "kepler/model/v1/types.pb.h"

namespace kepler::model::estimator {

// The archive for `body`. InvalidArgument when it is not a weight answer with a model_name.
absl::StatusOr<std::string> WeightAnswerToArchive(const std::string& body,
                                                  v1::OutputType output_type);

}  // namespace kepler::model::estimator

#endif  // KEPLER_ESTIMATOR_WEIGHT_ANSWER_H_
