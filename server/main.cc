// kepler-model-server: serves the best power model for a node (contract §2).
//
// Legacy JSON over HTTP on MODEL_SERVER_PORT (8100), the typed ModelServer over gRPC on
// --grpc_port. Pipelines under MODEL_PATH are served from start; INITIAL_PIPELINE_URL archives are
// downloaded in the background, retried while the database is unreachable, and reloaded when
// installed; until none is pending, /readyz and gRPC health say not ready.
#include <iostream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/synchronization/mutex.h"
#include "core/config.h"
#include "core/file_util.h"
#include "core/http_client.h"
#include "core/termination_signal.h"
#include "core/version.h"
#include "gateway/model_server_http.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "server/model_server_grpc.h"
#include "server/initial_pipelines.h"
#include "server/server_config.h"

ABSL_FLAG(std::string, config_dir, "", "Config folder (one file per key); default CONFIG_PATH.");
ABSL_FLAG(std::string, model_path, "", "Model path; overrides MODEL_PATH.");
ABSL_FLAG(int, port, -1, "HTTP port; overrides MODEL_SERVER_PORT (0 picks a free port).");
ABSL_FLAG(std::string, address, "0.0.0.0", "Address the HTTP and gRPC servers bind.");
ABSL_FLAG(int, grpc_port, 8180, "gRPC port (0 picks a free port, -1 disables gRPC).");
ABSL_FLAG(bool, fetch_initial_pipelines, true, "Download INITIAL_PIPELINE_URL at start.");
ABSL_FLAG(double, poll_seconds, 2, "How often the model path is checked for changes.");
ABSL_FLAG(int, threads, 2, "HTTP worker threads.");
ABSL_FLAG(bool, version, false, "Print the version and exit.");

namespace kms = kepler::model::server;
namespace kg = kepler::model::gateway;

namespace {

// Starts the gRPC server; `bound_port` receives the port it listens on (0 when disabled).
std::unique_ptr<grpc::Server> BuildGrpc(kms::ModelServerGrpc* adapter, int* bound_port) {
  int port = absl::GetFlag(FLAGS_grpc_port);
  *bound_port = 0;
  if (port < 0) return nullptr;
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(absl::GetFlag(FLAGS_address) + ":" + std::to_string(port),
                           grpc::InsecureServerCredentials(), bound_port);
  builder.RegisterService(adapter);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  // The default health service marks only "" SERVING; clients also check the service by name.
  if (server && server->GetHealthCheckService()) {
    server->GetHealthCheckService()->SetServingStatus(
        kepler::model::v1::ModelServer::service_full_name(), true);
  }
  return server;
}

absl::StatusOr<std::unique_ptr<kg::HttpServer>> BuildHttp(const kms::ServerConfig& config,
                                                         std::vector<kg::HttpServer::Route> routes) {
  kg::HttpServer::Options options;
  options.address = absl::GetFlag(FLAGS_address);
  options.port = absl::GetFlag(FLAGS_port) >= 0 ? absl::GetFlag(FLAGS_port) : config.http_port;
  options.threads = absl::GetFlag(FLAGS_threads);
  options.max_body_bytes = 1 << 20;  // model requests are a few hundred bytes
  options.idle_timeout = absl::Seconds(30);
  options.routes = std::move(routes);
  return kg::HttpServer::Create(std::move(options));
}

// gRPC health follows the initial pipelines: NOT_SERVING until none is pending. The fetcher may
// settle before or after the gRPC server exists; whichever comes second applies the status.
class GrpcReadiness {
 public:
  void SetServer(grpc::Server* server) {
    absl::MutexLock lock(&mu_);
    server_ = server;
    Apply();
  }
  void SetSettled() {
    absl::MutexLock lock(&mu_);
    settled_ = true;
    Apply();
  }

 private:
  void Apply() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (server_ == nullptr || server_->GetHealthCheckService() == nullptr) return;
    for (const std::string& name : {std::string(), std::string(
                                        kepler::model::v1::ModelServer::service_full_name())}) {
      server_->GetHealthCheckService()->SetServingStatus(name, settled_);
    }
  }

  absl::Mutex mu_;
  grpc::Server* server_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool settled_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_version)) {
    std::cout << "kepler-model-server " << kepler::model::core::kVersion << "\n";
    return 0;
  }
  kepler::model::core::BlockTerminationSignals();
  auto config = kms::ServerConfigFrom(
      kepler::model::core::Config::FromProcess(absl::GetFlag(FLAGS_config_dir)));
  if (!absl::GetFlag(FLAGS_model_path).empty()) config.model_path = absl::GetFlag(FLAGS_model_path);
  (void)kepler::model::core::MakeDirs(config.model_path);
  auto repository = kms::Repository::Create(
      {config.model_path, absl::Seconds(absl::GetFlag(FLAGS_poll_seconds))});
  if (!repository.ok()) {
    std::cerr << "kepler-model-server: " << repository.status() << "\n";
    return 1;
  }
  kms::ModelServerService service(repository->get(), {config.error_key});
  kg::RequestMetrics metrics("kepler_model_server");
  // Initial pipelines: fetched, with retries, on a thread the fetcher owns and joins.
  GrpcReadiness grpc_readiness;
  std::unique_ptr<kms::InitialPipelines> initial;
  kg::StartupState startup;
  if (absl::GetFlag(FLAGS_fetch_initial_pipelines) && !config.initial_pipeline_urls.empty()) {
    kms::InitialPipelines::Options options;
    options.urls = config.initial_pipeline_urls;
    options.model_path = config.model_path;
    kms::Repository* repo = repository->get();
    options.on_installed = [repo] { repo->Reload(); };
    options.on_settled = [&grpc_readiness] { grpc_readiness.SetSettled(); };
    initial = std::make_unique<kms::InitialPipelines>(std::move(options),
                                                      kepler::model::core::NewCurlHttpClient());
    kms::InitialPipelines* fetcher = initial.get();
    startup.pending = [fetcher] { return fetcher->Pending(); };
    startup.metrics_text = [fetcher] { return fetcher->MetricsText("kepler_model_server"); };
  } else {
    grpc_readiness.SetSettled();
  }
  auto http = BuildHttp(config, kg::ModelServerRoutes(&service, repository->get(), &metrics,
                                                      startup));
  if (!http.ok()) {
    std::cerr << "kepler-model-server: " << http.status() << "\n";
    return 1;
  }
  kms::ModelServerGrpc adapter(&service);
  int grpc_port = 0;
  std::unique_ptr<grpc::Server> grpc_server = BuildGrpc(&adapter, &grpc_port);
  grpc_readiness.SetServer(grpc_server.get());
  std::cerr << "kepler-model-server: serving HTTP on port " << (*http)->port() << ", gRPC on port "
            << grpc_port << ", models from " << config.model_path << "\n";
  kepler::model::core::WaitForTerminationSignal();
  // No retry starts after this; a download in progress ends within its timeout, before the
  // repository it reloads is destroyed.
  if (initial) initial->Stop();
  // Health answers NOT_SERVING (every name) while in-flight calls drain.
  if (grpc_server && grpc_server->GetHealthCheckService()) {
    grpc_server->GetHealthCheckService()->Shutdown();
  }
  (*http)->Stop();
  if (grpc_server) grpc_server->Shutdown();
  grpc_readiness.SetServer(nullptr);
  initial.reset();
  return 0;
}
