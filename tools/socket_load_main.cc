// socket-load: a load generator for the estimator's unix socket, one connection per
// request as Kepler does (connect, one write, read until the server closes).
//
//   bazel run -c opt //tools:socket-load -- --target=unix:/tmp/estimator.sock
//         --rows=1000 --metrics=10 --connections=8 --duration=10s   # closed loop
//   ... --rows=100 --rate=100                                     # open loop
//   ... --rows=3 --print_request                                  # show the request
//
// The request is generated (tools/load/power_request.h) unless --body_file is given.
// Answers with a non-empty "msg" count as errors. Report format: tools/load/load_report.h.
#include <csignal>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/file_util.h"
#include "tools/load/estimator_reply_reader.h"
#include "tools/load/load_loop.h"
#include "tools/load/power_request.h"

ABSL_FLAG(std::string, target, "unix:/tmp/estimator.sock", "unix:/path of the socket.");
ABSL_FLAG(std::string, body_file, "", "File holding the request; empty: generate one.");
ABSL_FLAG(int, rows, 1, "Rows per generated request.");
ABSL_FLAG(int, metrics, 0, "Metrics per generated row (model features first, then filler).");
ABSL_FLAG(std::string, source, "rapl-sysfs", "Energy source of the generated request.");
ABSL_FLAG(std::string, output_type, "AbsPower", "Output type of the generated request.");
ABSL_FLAG(std::string, trainer_name, "", "Trainer name of the generated request.");
ABSL_FLAG(bool, print_request, false, "Print the request and exit.");
ABSL_FLAG(int, connections, 8, "Concurrent clients (each: connect, write, read, close).");
ABSL_FLAG(double, rate, 0, "Requests/s for the open loop; 0 runs the closed loop.");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "Measured time.");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1), "Unrecorded time before measuring.");
ABSL_FLAG(int, threads, 1, "Driver threads (each runs an epoll loop).");

namespace kt = kepler::model::tools;

namespace {

absl::StatusOr<std::string> RequestFromFlags() {
  if (!absl::GetFlag(FLAGS_body_file).empty()) {
    return kepler::model::core::ReadFile(absl::GetFlag(FLAGS_body_file));
  }
  kt::PowerRequestSpec spec;
  spec.rows = absl::GetFlag(FLAGS_rows);
  spec.metrics = absl::GetFlag(FLAGS_metrics);
  spec.source = absl::GetFlag(FLAGS_source);
  spec.output_type = absl::GetFlag(FLAGS_output_type);
  spec.trainer_name = absl::GetFlag(FLAGS_trainer_name);
  return kt::BuildPowerRequest(spec);
}

absl::StatusOr<kt::LoadOptions> OptionsFromFlags(std::string request) {
  kt::LoadOptions options;
  auto endpoint = kt::ParseEndpoint(absl::GetFlag(FLAGS_target));
  if (!endpoint.ok()) return endpoint.status();
  options.endpoint = *endpoint;
  options.request = std::move(request);
  options.new_reader = [] { return std::make_unique<kt::EstimatorReplyReader>(); };
  options.connections = absl::GetFlag(FLAGS_connections);
  options.rate = absl::GetFlag(FLAGS_rate);
  options.duration = absl::GetFlag(FLAGS_duration);
  options.warmup = absl::GetFlag(FLAGS_warmup);
  return options;
}

std::string Title(const kt::LoadOptions& options) {
  std::string loop = options.rate > 0 ? absl::StrFormat("open loop at %g requests/s", options.rate)
                                      : "closed loop";
  std::string what = absl::GetFlag(FLAGS_body_file).empty()
                         ? absl::StrCat(absl::GetFlag(FLAGS_rows), "-row requests")
                         : absl::GetFlag(FLAGS_body_file);
  return absl::StrCat(what, " (", options.request.size(), " bytes) on ",
                      kt::EndpointName(options.endpoint), ", ", options.connections,
                      " clients, new connection per request, ", loop);
}

int Fail(const absl::Status& status) {
  std::cerr << "socket-load: " << status << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::signal(SIGPIPE, SIG_IGN);
  auto request = RequestFromFlags();
  if (!request.ok()) return Fail(request.status());
  if (absl::GetFlag(FLAGS_print_request)) {
    std::cout << *request;
    return 0;
  }
  auto options = OptionsFromFlags(*std::move(request));
  if (!options.ok()) return Fail(options.status());
  auto result = kt::RunLoad(*options, absl::GetFlag(FLAGS_threads));
  if (!result.ok()) return Fail(result.status());
  std::cout << kt::FormatReport(Title(*options), *result);
  return 0;
}
