#include "server/server_config.h"

#include <unistd.h>

#include "core/file_util.h"
#include "core/version.h"
#include "server/pipeline_fetcher.h"

namespace kepler::model::server {

std::string MountPath(const core::Config& config) {
  std::string mount = config.GetString("MNT_PATH", "/mnt");
  if (core::IsDirectory(mount) && access(mount.c_str(), W_OK) == 0) return mount;
  return "/tmp/model-server/mnt";
}

ServerConfig ServerConfigFrom(const core::Config& config) {
  ServerConfig out;
  out.model_path = config.GetString("MODEL_PATH", MountPath(config) + "/models");
  out.initial_pipeline_urls =
      InitialPipelineUrls(config.GetList("INITIAL_PIPELINE_URL", {}),
                          config.GetString("MODEL_TOPURL", std::string(core::kBaseModelUrl)));
  out.error_key = config.GetString("ERROR_KEY", "mae");
  out.http_port = static_cast<int>(config.GetInt("MODEL_SERVER_PORT", 8100));
  return out;
}

}  // namespace kepler::model::server
