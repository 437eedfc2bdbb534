// The estimator's settings from the contract's configuration keys (§1.5, §8.2–8.3).
//
// Read through core::Config (file > MODEL_CONFIG > environment > default) each time a model is
// acquired, so a ConfigMap update (MODEL_SERVER_ENABLE, an init URL) takes effect without a
// restart, as in the reference.
#ifndef KEPLER_ESTIMATOR_ESTIMATOR_CONFIG_H_
#define KEPLER_ESTIMATOR_ESTIMATOR_CONFIG_H_

#include <string>
#include <vector>

#include "core/config.h"
#include "kepler/model/v1/types.pb.h"

namespace kepler::model::estimator {

struct EstimatorConfig {
  // MODEL_SERVER_ENABLE.
  bool model_server_enable = false;
  // MODEL_SERVER_URL (a bare host gets "http://" and MODEL_SERVER_PORT) + MODEL_SERVER_MODEL_REQ_PATH.
  std::string model_server_endpoint;
  // MODEL_TOPURL, for the default init URLs.
  std::string model_topurl;
  // Raw config, for the init URL keys.
  const core::Config* config = nullptr;
};

EstimatorConfig ReadEstimatorConfig(const core::Config& config);

// Archive URLs to try for (source, output type), in order (§1.5.1, with its quirks fixed):
// the `<PREFIX>_INIT_URL` key for the output type (NODE_* for AbsPower; PROCESS_* then
// CONTAINER_* for DynPower, never an AbsPower model for a DynPower request), TOTAL for platform
// sources and COMPONENTS for the rapl family; when none is set, the published database's default
// models for a known source.
std::vector<std::string> InitModelUrls(const EstimatorConfig& config, const std::string& source,
                                       v1::OutputType output_type);

}  // namespace kepler::model::estimator

#endif  // KEPLER_ESTIMATOR_ESTIMATOR_CONFIG_H_
