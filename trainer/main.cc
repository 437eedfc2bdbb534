// kepler-trainer: trains power-model pipelines (contract §4).
//
// Offline: POST /train on :8102 (the legacy JSON) and the typed Trainer over gRPC (--grpc_port),
// both answering the trained pipeline; with --publish, pipelines also go into the model path
// atomically for a model server watching it.
#include <iostream>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "core/config.h"
#include "core/file_util.h"
#include "core/termination_signal.h"
#include "core/version.h"
#include "gateway/trainer_http.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "trainer/trainer_grpc.h"

ABSL_FLAG(std::string, config_dir, "", "Config folder (one file per key); default CONFIG_PATH.");
ABSL_FLAG(std::string, address, "0.0.0.0", "Address the HTTP and gRPC servers bind.");
ABSL_FLAG(int, port, 8102, "HTTP port of POST /train (0 picks a free port).");
ABSL_FLAG(int, grpc_port, 8182, "gRPC port (0 picks a free port, -1 disables gRPC).");
ABSL_FLAG(std::string, model_path, "", "Model path; default MODEL_PATH or <MNT_PATH>/models.");
ABSL_FLAG(bool, publish, false, "Also publish trained pipelines into the model path.");
ABSL_FLAG(int, max_request_mb, 512, "Largest POST /train body, in MiB (larger: 413).");
ABSL_FLAG(int, max_concurrent, 1, "Trainings run at once.");
ABSL_FLAG(int, max_queued, 4, "Trainings waiting; more are refused with 429.");
ABSL_FLAG(int, threads, 0, "Threads of one training (0: one per core).");
ABSL_FLAG(bool, version, false, "Print the version and exit.");

namespace kt = kepler::model::trainer;
namespace kg = kepler::model::gateway;
namespace kc = kepler::model::core;

namespace {

std::unique_ptr<grpc::Server> BuildGrpc(kt::TrainerGrpc* adapter, int* bound_port) {
  *bound_port = 0;
  if (absl::GetFlag(FLAGS_grpc_port) < 0) return nullptr;
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(absl::GetFlag(FLAGS_address) + ":" +
                               std::to_string(absl::GetFlag(FLAGS_grpc_port)),
                           grpc::InsecureServerCredentials(), bound_port);
  builder.SetMaxReceiveMessageSize(absl::GetFlag(FLAGS_max_request_mb) << 20);
  builder.SetMaxSendMessageSize(1 << 30);
  builder.RegisterService(adapter);
  return builder.BuildAndStart();
}

absl::StatusOr<std::unique_ptr<kg::HttpServer>> BuildHttp(std::vector<kg::HttpServer::Route> routes) {
  kg::HttpServer::Options options;
  options.address = absl::GetFlag(FLAGS_address);
  options.port = absl::GetFlag(FLAGS_port);
  options.threads = absl::GetFlag(FLAGS_max_concurrent) + absl::GetFlag(FLAGS_max_queued) + 1;
  options.max_body_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_max_request_mb)) << 20;
  options.idle_timeout = absl::Minutes(30);  // a training answers only when done
  options.routes = std::move(routes);
  return kg::HttpServer::Create(std::move(options));
}

kt::TrainerService::Options ServiceOptions(const kc::Config& config) {
  kt::TrainerService::Options options;
  std::string mount = config.GetString("MNT_PATH", "/tmp/model-server/mnt");
  options.model_path = absl::GetFlag(FLAGS_model_path).empty()
                           ? config.GetString("MODEL_PATH", mount + "/models")
                           : absl::GetFlag(FLAGS_model_path);
  options.publish = absl::GetFlag(FLAGS_publish);
  options.max_concurrent = absl::GetFlag(FLAGS_max_concurrent);
  options.max_queued = absl::GetFlag(FLAGS_max_queued);
  options.threads = absl::GetFlag(FLAGS_threads);
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_version)) {
    std::cout << "kepler-trainer " << kc::kVersion << "\n";
    return 0;
  }
  kc::BlockTerminationSignals();
  kc::Config config = kc::Config::FromProcess(absl::GetFlag(FLAGS_config_dir));
  kt::TrainerService service(ServiceOptions(config));
  kg::RequestMetrics metrics("kepler_trainer");
  auto http = BuildHttp(kg::TrainerRoutes(&service, &metrics));
  if (!http.ok()) {
    std::cerr << "kepler-trainer: " << http.status() << "\n";
    return 1;
  }
  kt::TrainerGrpc adapter(&service);
  int grpc_port = 0;
  auto grpc_server = BuildGrpc(&adapter, &grpc_port);
  std::cerr << "kepler-trainer: serving HTTP on port " << (*http)->port() << ", gRPC on port "
            << grpc_port << "\n";
  kc::WaitForTerminationSignal();
  (*http)->Stop();
  if (grpc_server) grpc_server->Shutdown();
  return 0;
}
