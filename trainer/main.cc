// kepler-trainer: trains power-model pipelines (contract §4).
//
// Offline: POST /train on :8102 (the legacy JSON) and the typed Trainer over gRPC (--grpc_port),
// both answering the trained pipeline; with --publish, pipelines also go into the model path
// atomically for a model server watching it.
// Online (--online, contract §9.1): also, every SAMPLING_INTERVAL, query PROM_SERVER for the last
// PROM_QUERY_INTERVAL of Kepler metrics, train the --online_* pipeline and publish it into the
// model path; its metrics are added to GET /metrics on the HTTP port.
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "core/config.h"
#include "core/energy_source.h"
#include "core/feature_group.h"
#include "core/file_util.h"
#include "core/http_client.h"
#include "core/node_type.h"
#include "core/termination_signal.h"
#include "core/trainer_name.h"
#include "core/version.h"
#include "gateway/trainer_http.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "trainer/online_config.h"
#include "trainer/online_trainer.h"
#include "trainer/prometheus_client.h"
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
ABSL_FLAG(bool, online, false,
          "Also train from PROM_SERVER every SAMPLING_INTERVAL and publish into the model path.");
ABSL_FLAG(std::string, online_pipeline, "std_v0.7.11", "Online: name of the published pipeline.");
ABSL_FLAG(std::string, online_sources, "rapl-sysfs,acpi", "Online: energy sources (comma list).");
ABSL_FLAG(std::string, online_feature_groups, "", "Online: feature groups; empty: all the data feeds.");
ABSL_FLAG(std::string, online_abs_trainers, "GradientBoostingRegressorTrainer,SGDRegressorTrainer",
          "Online: AbsPower trainers (comma list; empty: none).");
ABSL_FLAG(std::string, online_dyn_trainers, "GradientBoostingRegressorTrainer,SGDRegressorTrainer",
          "Online: DynPower trainers (comma list; empty: none).");
ABSL_FLAG(std::string, online_isolator, "min", "Online: isolator (min, none, profile, trainer).");
ABSL_FLAG(std::string, online_isolator_args, "", "Online: isolator arguments, key=value,...");
ABSL_FLAG(std::string, online_idle_capture, "", "Online: idle capture file for the isolator.");
ABSL_FLAG(double, online_idle_start, 0, "Online: start (unix s) of an idle window to query once.");
ABSL_FLAG(double, online_idle_end, 0, "Online: end (unix s) of that idle window.");
ABSL_FLAG(std::string, online_machine_spec, "", "Online: machine spec JSON of the trained nodes.");
ABSL_FLAG(int, online_node_type, -1, "Online: node type of every row (-1: from the data).");
ABSL_FLAG(double, online_max_backoff_seconds, 3600, "Online: longest pause after failures.");
ABSL_FLAG(double, online_query_timeout_seconds, 30, "Online: limit of each Prometheus request.");

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
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  // The default health service marks only "" SERVING; clients also check the service by name.
  if (server && server->GetHealthCheckService()) {
    server->GetHealthCheckService()->SetServingStatus(kepler::model::v1::Trainer::service_full_name(),
                                                      true);
  }
  return server;
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

// Parses a comma list with `parse` into `out`; InvalidArgument naming the flag and item.
template <typename T, typename Parse>
absl::Status ParseList(const std::string& flag, const std::string& text, Parse parse,
                       std::vector<T>* out) {
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    absl::optional<T> value = parse(absl::StripAsciiWhitespace(item));
    if (!value.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat("--", flag, ": '", item, "' is unknown"));
    }
    out->push_back(*value);
  }
  return absl::OkStatus();
}

absl::StatusOr<kt::PipelineOptions> OnlinePipeline() {
  kt::PipelineOptions pipeline;
  pipeline.name = absl::GetFlag(FLAGS_online_pipeline);
  auto source = [](absl::string_view name) {
    return kc::IsKnownSource(name) ? absl::optional<std::string>(name) : absl::nullopt;
  };
  absl::Status parsed = ParseList("online_sources", absl::GetFlag(FLAGS_online_sources), source,
                                  &pipeline.energy_sources);
  if (parsed.ok()) parsed = ParseList("online_feature_groups", absl::GetFlag(FLAGS_online_feature_groups),
                                  kc::ParseFeatureGroup, &pipeline.feature_groups);
  if (parsed.ok()) parsed = ParseList("online_abs_trainers", absl::GetFlag(FLAGS_online_abs_trainers),
                                      kc::ParseTrainerName, &pipeline.abs_trainers);
  if (parsed.ok()) parsed = ParseList("online_dyn_trainers", absl::GetFlag(FLAGS_online_dyn_trainers),
                                      kc::ParseTrainerName, &pipeline.dyn_trainers);
  if (!parsed.ok()) return parsed;
  if (absl::GetFlag(FLAGS_online_node_type) >= 0) pipeline.node_type = absl::GetFlag(FLAGS_online_node_type);
  pipeline.threads = absl::GetFlag(FLAGS_threads);
  if (!absl::GetFlag(FLAGS_online_machine_spec).empty()) {
    auto text = kc::ReadFile(absl::GetFlag(FLAGS_online_machine_spec));
    if (!text.ok()) return text.status();
    auto spec = kc::ParseNodeSpecJson(*text);
    if (!spec.ok()) return spec.status();
    pipeline.machine_spec = *spec;
  }
  return pipeline;
}

absl::StatusOr<kt::OnlineTrainer::Options> OnlineOptions(const kt::OnlineConfig& config,
                                                         const std::string& model_path) {
  kt::OnlineTrainer::Options options;
  auto pipeline = OnlinePipeline();
  if (!pipeline.ok()) return pipeline.status();
  options.pipeline = *std::move(pipeline);
  options.model_path = model_path;
  options.isolator = absl::GetFlag(FLAGS_online_isolator);
  for (absl::string_view pair : absl::StrSplit(absl::GetFlag(FLAGS_online_isolator_args), ',',
                                               absl::SkipWhitespace())) {
    std::pair<std::string, std::string> arg = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    options.isolator_args[std::string(absl::StripAsciiWhitespace(arg.first))] =
        std::string(absl::StripAsciiWhitespace(arg.second));
  }
  options.idle_capture_path = absl::GetFlag(FLAGS_online_idle_capture);
  options.idle_start = absl::UnixEpoch() + absl::Seconds(absl::GetFlag(FLAGS_online_idle_start));
  options.idle_end = absl::UnixEpoch() + absl::Seconds(absl::GetFlag(FLAGS_online_idle_end));
  options.window = config.query.interval;
  options.interval = config.sampling_interval;
  options.max_backoff = absl::Seconds(absl::GetFlag(FLAGS_online_max_backoff_seconds));
  return options;
}

// The online trainer over a Prometheus client, or an error naming the bad flag or key.
absl::StatusOr<std::unique_ptr<kt::OnlineTrainer>> BuildOnline(const kc::Config& config,
                                                               const std::string& model_path,
                                                               kc::HttpClient* http) {
  auto online = kt::OnlineConfigFrom(config);
  if (!online.ok()) return online.status();
  auto options = OnlineOptions(*online, model_path);
  if (!options.ok()) return options.status();
  kt::PrometheusQuery query = online->query;
  query.request_timeout = absl::Seconds(absl::GetFlag(FLAGS_online_query_timeout_seconds));
  auto fetch = [http, query](absl::Time start, absl::Time end) {
    kt::PrometheusQuery window = query;
    window.interval = end - start;
    window.end = end;
    return kt::QueryCapture(*http, window);
  };
  std::string summary = absl::StrCat(
      "kepler-trainer: online from ", query.server, " every ", absl::FormatDuration(options->interval),
      ", window ", absl::FormatDuration(options->window), ", step ", absl::FormatDuration(query.step),
      ", into ", model_path, "/", options->pipeline.name, "\n");
  auto trainer = kt::OnlineTrainer::Create(*std::move(options), fetch);
  if (trainer.ok()) std::cerr << summary;
  return trainer;
}

// The online trainer when --online, else null; exits the process on a bad flag or key.
std::unique_ptr<kt::OnlineTrainer> MaybeOnline(const kc::Config& config, const std::string& model_path,
                                               kc::HttpClient* http) {
  if (!absl::GetFlag(FLAGS_online)) return nullptr;
  auto online = BuildOnline(config, model_path, http);
  if (!online.ok()) {
    std::cerr << "kepler-trainer: " << online.status() << "\n";
    std::exit(2);
  }
  return *std::move(online);
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
  kt::TrainerService::Options service_options = ServiceOptions(config);
  kt::TrainerService service(service_options);
  std::unique_ptr<kc::HttpClient> prometheus = kc::NewCurlHttpClient();
  std::unique_ptr<kt::OnlineTrainer> online = MaybeOnline(config, service_options.model_path,
                                                          prometheus.get());
  kg::RequestMetrics metrics("kepler_trainer");
  std::function<std::string()> online_metrics;
  if (online) online_metrics = [trainer = online.get()] { return trainer->MetricsText(); };
  auto http = BuildHttp(kg::TrainerRoutes(&service, &metrics, online_metrics));
  if (!http.ok()) {
    std::cerr << "kepler-trainer: " << http.status() << "\n";
    return 1;
  }
  kt::TrainerGrpc adapter(&service);
  int grpc_port = 0;
  auto grpc_server = BuildGrpc(&adapter, &grpc_port);
  std::cerr << "kepler-trainer: serving HTTP on port " << (*http)->port() << ", gRPC on port "
            << grpc_port << "\n";
  absl::Notification stop;
  std::thread loop;
  if (online) loop = std::thread([&] { online->Run(&stop); });
  kc::WaitForTerminationSignal();
  // Health answers NOT_SERVING (every name) while in-flight trainings drain.
  if (grpc_server && grpc_server->GetHealthCheckService()) {
    grpc_server->GetHealthCheckService()->Shutdown();
  }
  stop.Notify();
  (*http)->Stop();
  if (grpc_server) grpc_server->Shutdown();
  if (loop.joinable()) loop.join();  // a round in progress finishes first
  return 0;
}
