// The estimator's client of the model server's legacy JSON endpoint POST /model (contract §1.5
// step 2, §2.2).
//
// What: an estimator::ModelServerClient that POSTs the legacy request body ("application/json")
// and turns the answer into a model archive: with weight=false the answer is the archive itself;
// with weight=true it is a weight document plus `model_name`, `machine_spec` and the error key
// (contract §2.2 step 4), packed as metadata.json + weight.json so it goes through the same
// checks, loader and local copy as every other model.
// Why: the legacy wire format is the gateway's business; the estimator sees only the interface
// (ARCHITECTURE.md: dependencies point core <- estimator <- gateway).
// How: a binary's main.cc builds one and hands it to estimator::ModelAcquirer:
//
//   gateway::ModelServerJsonClient model_server(http.get(), fetch);
//   estimator::ModelAcquirer acquirer(options, http.get(), &model_server);
//
// Thread-safety: thread-safe (const; the HTTP client must be thread-safe). `http` must outlive
// the client.
#ifndef KEPLER_GATEWAY_MODEL_SERVER_JSON_CLIENT_H_
#define KEPLER_GATEWAY_MODEL_SERVER_JSON_CLIENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "core/http_client.h"
#include "estimator/acquire_request.h"
#include "estimator/model_server_client.h"
#include "kepler/model/v1/types.pb.h"

namespace kepler::model::gateway {

class ModelServerJsonClient final : public estimator::ModelServerClient {
 public:
  // `http` must outlive the client; `fetch` bounds every POST.
  ModelServerJsonClient(core::HttpClient* http, core::FetchOptions fetch)
      : http_(http), fetch_(fetch) {}

  // POSTs ModelRequestBody(request, spec, weight) to `endpoint`. NotFound for HTTP 404,
  // Unavailable ("HTTP <status>") for any other status but 200, the HTTP client's error when no
  // answer came, and WeightAnswerToArchive's error for a bad weight answer.
  absl::StatusOr<std::string> FetchModel(const std::string& endpoint,
                                         const estimator::AcquireRequest& request,
                                         const v1::MachineSpec& spec, bool weight) const override;

 private:
  core::HttpClient* http_;
  const core::FetchOptions fetch_;
};

// The POST /model body, compact:
// {"metrics":[...],"output_type":"AbsPower","source":"rapl-sysfs","filter":"",
//  "trainer_name":"","machine_spec":{processor, cores, chips, memory, frequency,
//  threads_per_core, vendor},"weight":false}; no node_type, so the server matches the spec (and,
// for weight documents, adds model_name, machine_spec and the error to its answer).
std::string ModelRequestBody(const estimator::AcquireRequest& request,
                             const v1::MachineSpec& spec, bool weight);

// The archive (metadata.json + weight.json) for a weight=true answer `body` to a request for
// `output_type`. InvalidArgument when it is not JSON, not a weight document, has no components,
// or lacks a well-formed `model_name` (`<Trainer>_<node_type>`).
absl::StatusOr<std::string> WeightAnswerToArchive(const std::string& body,
                                                  v1::OutputType output_type);

}  // namespace kepler::model::gateway

#endif  // KEPLER_GATEWAY_MODEL_SERVER_JSON_CLIENT_H_
