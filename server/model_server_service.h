// The ModelServer service: transport-free implementation of GetModel, ListBestModels and
// ListModels (contract §2). The gRPC adapter and the legacy HTTP handlers both call it.
//
// Thread-safe: each call reads the repository's current snapshot once and answers from it.
#ifndef KEPLER_SERVER_MODEL_SERVER_SERVICE_H_
#define KEPLER_SERVER_MODEL_SERVER_SERVICE_H_

#include <string>

#include "absl/status/statusor.h"
#include "kepler/model/v1/model_server.pb.h"
#include "server/archive_patcher.h"
#include "server/repository.h"

namespace kepler::model::server {

class ModelServerService {
 public:
  struct Options {
    // Metadata attribute selection minimises (ERROR_KEY).
    std::string error_key = "mae";
  };

  // `repository` must outlive the service.
  ModelServerService(const Repository* repository, Options options);

  // The best model for the request with its weight document (weight = true) or archive.
  // InvalidArgument: bad request (no feature group fits, bad filter, unknown output type,
  // trainer or pipeline name with path characters). NotFound: nothing matches.
  absl::StatusOr<v1::GetModelResponse> GetModel(const v1::GetModelRequest& request);

  // Best model name per output type and feature group (§2.7). InvalidArgument for a bad filter
  // or enum; NotFound when no pipeline serves the source.
  absl::StatusOr<v1::ListBestModelsResponse> ListBestModels(
      const v1::ListBestModelsRequest& request) const;

  // Every loaded model's metadata.
  absl::StatusOr<v1::ListModelsResponse> ListModels(const v1::ListModelsRequest& request) const;

  const Options& options() const { return options_; }

 private:
  const Repository* repository_;
  const Options options_;
  ArchiveCache archives_;
};

}  // namespace kepler::model::server

#endif  // KEPLER_SERVER_MODEL_SERVER_SERVICE_H_
