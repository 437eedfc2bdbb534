// The model server's settings from the contract's configuration keys (§8.1–8.2).
//
// One function reads every key the server uses through core::Config (file > MODEL_CONFIG >
// environment > default), so libraries never look at the environment themselves.
#ifndef KEPLER_SERVER_SERVER_CONFIG_H_
#define KEPLER_SERVER_SERVER_CONFIG_H_

#include <string>
#include <vector>

#include "core/config.h"

namespace kepler::model::server {

struct ServerConfig {
  // MODEL_PATH, default <MNT_PATH>/models; MNT_PATH defaults to /mnt and falls back to
  // /tmp/model-server/mnt when /mnt is missing or not writable.
  std::string model_path;
  // INITIAL_PIPELINE_URL, or the defaults derived from MODEL_TOPURL.
  std::vector<std::string> initial_pipeline_urls;
  // ERROR_KEY, default "mae".
  std::string error_key = "mae";
  // MODEL_SERVER_PORT, default 8100.
  int http_port = 8100;
};

ServerConfig ServerConfigFrom(const core::Config& config);

// MNT_PATH with the reference's fallback.
std::string MountPath(const core::Config& config);

}  // namespace kepler::model::server

#endif  // KEPLER_SERVER_SERVER_CONFIG_H_
