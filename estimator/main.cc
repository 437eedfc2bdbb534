// kepler-estimator: the sidecar that turns Kepler's metric rows into watts (contract §1).
//
// Legacy JSON on the unix socket /tmp/estimator.sock (--socket); the typed Estimator over gRPC
// on --grpc_port or --grpc_socket. SIGTERM/SIGINT: stop accepting, finish in-flight answers,
// remove the socket, exit 0.
#include <malloc.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "core/config.h"
#include "core/host_spec.h"
#include "core/memory_trimmer.h"
#include "core/termination_signal.h"
#include "core/version.h"
#include "estimator/estimator_grpc.h"
#include "gateway/estimator_socket.h"
#include "gateway/model_server_json_client.h"
#include "gateway/unix_socket_server.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"

ABSL_FLAG(std::string, socket, "/tmp/estimator.sock", "Unix socket of the legacy protocol.");
ABSL_FLAG(std::string, config_dir, "", "Config folder (one file per key); default CONFIG_PATH.");
ABSL_FLAG(std::string, machine_spec, "", "Machine spec JSON; default discovery.");
ABSL_FLAG(std::string, model_path, "", "Local model copies; default <MNT_PATH>/download.");
ABSL_FLAG(int, grpc_port, -1, "gRPC port on 127.0.0.1 (0 picks one, -1 none).");
ABSL_FLAG(std::string, grpc_socket, "", "gRPC on this unix socket instead of a port.");
ABSL_FLAG(int, threads, 4, "Socket worker threads.");
ABSL_FLAG(bool, version, false, "Print the version and exit.");

namespace ke = kepler::model::estimator;
namespace kg = kepler::model::gateway;
namespace kc = kepler::model::core;

namespace {

std::string DownloadPath(const kc::Config& config) {
  if (!absl::GetFlag(FLAGS_model_path).empty()) return absl::GetFlag(FLAGS_model_path);
  return config.GetString("MNT_PATH", "/tmp/model-server/mnt") + "/download";
}

std::unique_ptr<grpc::Server> BuildGrpc(ke::EstimatorGrpc* adapter, int* bound_port) {
  *bound_port = 0;
  std::string address;
  if (!absl::GetFlag(FLAGS_grpc_socket).empty()) {
    address = "unix://" + absl::GetFlag(FLAGS_grpc_socket);
  } else if (absl::GetFlag(FLAGS_grpc_port) >= 0) {
    address = "127.0.0.1:" + std::to_string(absl::GetFlag(FLAGS_grpc_port));
  } else {
    return nullptr;
  }
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), bound_port);
  builder.RegisterService(adapter);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  // The default health service marks only "" SERVING; clients also check the service by name.
  if (server && server->GetHealthCheckService()) {
    server->GetHealthCheckService()->SetServingStatus(
        kepler::model::v1::Estimator::service_full_name(), true);
  }
  return server;
}

}  // namespace

int main(int argc, char** argv) {
  // One malloc arena unless the operator sets MALLOC_ARENA_MAX: each worker thread's arena keeps
  // its own free memory (peak 19.2 MB against 17.1 MB after 1,000-row bursts), and throughput
  // measured the same (README "Measurements").
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 1);
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_version)) {
    std::cout << "kepler-estimator " << kc::kVersion << "\n";
    return 0;
  }
  kc::BlockTerminationSignals();
  kc::Config config = kc::Config::FromProcess(absl::GetFlag(FLAGS_config_dir));
  auto host = kc::ReadHostSpec(absl::GetFlag(FLAGS_machine_spec));
  if (!host.ok()) {
    std::cerr << "kepler-estimator: " << host.status() << "\n";
    return 1;
  }
  auto http = kc::NewCurlHttpClient();
  kc::FetchOptions fetch;
  fetch.timeout = absl::Seconds(20);
  kg::ModelServerJsonClient model_server(http.get(), fetch);
  ke::ModelAcquirer::Options acquire;
  acquire.config = [&config] { return ke::ReadEstimatorConfig(config); };
  acquire.machine_spec = host->ToProto();
  acquire.logical_cpus = host->logical_cpus;
  acquire.download_path = DownloadPath(config);
  acquire.fetch = fetch;
  ke::ModelAcquirer acquirer(acquire, http.get(), &model_server);
  ke::ModelCache cache(ke::ModelCache::Options{});
  ke::EstimatorService service(&acquirer, &cache);
  kg::UnixSocketServer::Options socket;
  socket.path = absl::GetFlag(FLAGS_socket);
  socket.threads = absl::GetFlag(FLAGS_threads);
  socket.max_request_bytes = 4 << 20;
  // Sidecar memory stays flat after bursts of large requests (core/memory_trimmer.h).
  kc::MemoryTrimmer trimmer(absl::Seconds(2), size_t{1} << 20);
  socket.handler = [&service, &trimmer](absl::string_view request) {
    trimmer.NoteRequest(request.size());
    return kg::AnswerPowerRequest(service, request);
  };
  socket.error_reply = kg::AnswerTransportError;
  auto server = kg::UnixSocketServer::Create(socket);
  if (!server.ok()) {
    std::cerr << "kepler-estimator: " << server.status() << "\n";
    return 1;
  }
  ke::EstimatorGrpc adapter(&service);
  int grpc_port = 0;
  auto grpc_server = BuildGrpc(&adapter, &grpc_port);
  const std::string grpc_where = !grpc_server                               ? "off"
                                 : !absl::GetFlag(FLAGS_grpc_socket).empty() ? absl::GetFlag(FLAGS_grpc_socket)
                                                                             : "port " + std::to_string(grpc_port);
  std::cerr << "kepler-estimator: serving on " << socket.path << ", gRPC " << grpc_where
            << ", host " << kc::SpecToJson(host->spec) << "\n";
  kc::WaitForTerminationSignal();
  // Health answers NOT_SERVING (every name) while in-flight answers drain.
  if (grpc_server && grpc_server->GetHealthCheckService()) {
    grpc_server->GetHealthCheckService()->Shutdown();
  }
  (*server)->Stop();
  if (grpc_server) grpc_server->Shutdown();
  std::cerr << "kepler-estimator: stopped\n";
  return 0;
}
