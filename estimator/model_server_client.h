// How the estimator asks the model server for a model (contract §1.5 step 2).
//
// What: one call, "the best model for this request and this machine", answered as a model
// archive (zip bytes) that ModelAcquirer checks, loads and keeps as the local copy.
// Why: the wire protocol is the gateway's business (ARCHITECTURE.md: the services know nothing of
// legacy JSON quirks). The estimator depends only on this interface; the legacy JSON client
// (POST /model) lives in gateway/model_server_json_client.h and a binary's main.cc wires it in.
// How:
//
//   gateway::ModelServerJsonClient client(http.get(), fetch);
//   ModelAcquirer acquirer(options, http.get(), &client);
//
// Thread-safety: implementations must be safe to call from many threads at once.
#ifndef KEPLER_ESTIMATOR_MODEL_SERVER_CLIENT_H_
#define KEPLER_ESTIMATOR_MODEL_SERVER_CLIENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "estimator/acquire_request.h"
#include "kepler/model/v1/types.pb.h"

namespace kepler::model::estimator {

class ModelServerClient {
 public:
  virtual ~ModelServerClient() = default;

  // The best model for `request` on a machine like `spec`, asked of the model server at
  // `endpoint`, as a model archive (zip bytes): with weight=false the server's archive; with
  // weight=true its weight document packed as an archive (metadata.json + weight.json).
  // NotFound for HTTP 404, Unavailable for other non-200 statuses, the transport's error when no
  // answer came, InvalidArgument for an answer that is not a model. The acquirer prefixes every
  // error with the attempt's origin, so messages need not name the endpoint.
  virtual absl::StatusOr<std::string> FetchModel(const std::string& endpoint,
                                                 const AcquireRequest& request,
                                                 const v1::MachineSpec& spec,
                                                 bool weight) const = 0;
};

}  // namespace kepler::model::estimator

#endif  // KEPLER_ESTIMATOR_MODEL_SERVER_CLIENT_H_
