// Obtains a model for a power request (contract §1.5, with §11.5's defects fixed).
//
// In order: the model server (when MODEL_SERVER_ENABLE is true: asked through a
// ModelServerClient with the request's features and the host's machine spec, answered with an
// archive; the legacy POST /model client is gateway/model_server_json_client.h), the init URLs
// for the source and output type (http(s)://, file:// or a path), then the local copy under the
// download path (`<download>/<source>/<OutputType>/` as a folder, or `<OutputType>.zip` beside
// it). A model is accepted only if every feature it reads is among the request's, it passes the
// request's filter, and its output type and trainer match; the first accepted one wins and is
// saved as the local copy (atomically), so the next start needs no network. Every attempt's
// failure is kept and the final error lists them all.
//
// Thread-safe (const; the HTTP client and the model server client must be thread-safe).
#ifndef KEPLER_ESTIMATOR_MODEL_ACQUIRER_H_
#define KEPLER_ESTIMATOR_MODEL_ACQUIRER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "core/archive.h"
#include "core/http_client.h"
#include "estimator/acquire_request.h"
#include "estimator/estimator_config.h"
#include "estimator/model_cache.h"
#include "estimator/model_server_client.h"
#include "kepler/model/v1/types.pb.h"

namespace kepler::model::estimator {

class ModelAcquirer {
 public:
  struct Options {
    // Current configuration, read at every acquisition.
    std::function<EstimatorConfig()> config;
    // The host's machine spec, sent to the model server.
    v1::MachineSpec machine_spec;
    // Logical CPUs of the host, for core_ratio.
    int logical_cpus = 0;
    // Folder of the local copies; empty: no local copies.
    std::string download_path;
    // Bounds of init URL fetches (the model server client has its own).
    core::FetchOptions fetch;
    core::ArchiveLimits limits;
  };

  // `http` (init URLs) and `model_server` must outlive the acquirer; neither may be null.
  ModelAcquirer(Options options, core::HttpClient* http, const ModelServerClient* model_server);

  // A loaded model, or the reasons none could be had: InvalidArgument for a bad filter,
  // Unimplemented when the only models found are in a format this service cannot evaluate
  // (a pickled class outside the whitelist), NotFound otherwise.
  absl::StatusOr<std::shared_ptr<const CachedModel>> Acquire(const AcquireRequest& request) const;

 private:
  // A model that suits the request, with the archive to keep as the local copy.
  struct Candidate {
    std::shared_ptr<const CachedModel> model;
    std::string archive;
  };

  absl::StatusOr<Candidate> LoadArchive(const std::string& bytes, const std::string& origin,
                                        const AcquireRequest& request) const;
  absl::StatusOr<Candidate> FromModelServer(const EstimatorConfig& config,
                                            const AcquireRequest& request, bool weight) const;
  absl::StatusOr<Candidate> FromModelServerWithFallback(const EstimatorConfig& config,
                                                        const AcquireRequest& request) const;
  absl::StatusOr<Candidate> FromUrl(const std::string& url, const AcquireRequest& request) const;
  absl::StatusOr<Candidate> FromLocal(const AcquireRequest& request) const;
  void SaveLocalCopy(const AcquireRequest& request, const std::string& bytes) const;

  const Options options_;
  core::HttpClient* http_;
  const ModelServerClient* model_server_;
};

}  // namespace kepler::model::estimator

#endif  // KEPLER_ESTIMATOR_MODEL_ACQUIRER_H_
