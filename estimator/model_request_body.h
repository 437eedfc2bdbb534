// The JSON body the estimator POSTs to the model server's /model (contract §1.5 step 2).
#ifndef KEPLER_ESTIMATOR_MODEL_REQUEST_BODY_H_
#define KEPLER_ESTIMATOR_MODEL_REQUEST_BODY_H_

#include <string>

#include "kepler/model/v1/types.pb.h"

namespace kepler::model::estimator {

struct AcquireRequest;

// {"metrics":[...],"output_type":"AbsPower","source":"rapl-sysfs","filter":"",
//  "trainer_name":"","machine_spec":{processor, cores, chips, memory, frequency, vendor,
//  threads_per_core},"weight":false}; no node_type, so the server matches the spec (and, for
// weight documents, adds model_name, machine_spec and the error to its answer).
std::string ModelRequestBody(const AcquireRequest& request, const v1::MachineSpec& spec,
                             bool weight);

}  // namespace kepler::model::estimator

#endif  // KEPLER_ESTIMATOR_MODEL_REQUEST_BODY_H_
