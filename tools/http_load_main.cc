// http-load: a keep-alive HTTP/1.1 load generator (closed or open loop).
//
//   bazel run -c opt //tools:http-load -- --target=127.0.0.1:8100 --path=/model
//         --body_file=$PWD/testdata/reference-samples/model-request-weight.json
//         --connections=16 --duration=10s            # max throughput (closed loop)
//   ... --rate=1000                                 # 1,000 requests/s (open loop)
//
// Prints requests/s, latency percentiles and outcomes by status, then a RESULT line
// (tools/load/load_report.h). Open-loop latency runs from each request's scheduled
// send time (tools/load/load_loop.h).
#include <csignal>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/file_util.h"
#include "tools/load/http_reply_reader.h"
#include "tools/load/http_request.h"
#include "tools/load/load_loop.h"

ABSL_FLAG(std::string, target, "127.0.0.1:8100", "host:port of the server.");
ABSL_FLAG(std::string, method, "POST", "Request method.");
ABSL_FLAG(std::string, path, "/model", "Request target (path and query).");
ABSL_FLAG(std::string, body_file, "", "File holding the request body; empty: no body.");
ABSL_FLAG(std::string, content_type, "application/json", "Content-Type of the body.");
ABSL_FLAG(int, connections, 16, "Keep-alive connections.");
ABSL_FLAG(double, rate, 0, "Requests/s for the open loop; 0 runs the closed loop.");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "Measured time.");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1), "Unrecorded time before measuring.");
ABSL_FLAG(int, threads, 1, "Driver threads (each runs an epoll loop).");

namespace kt = kepler::model::tools;

namespace {

absl::StatusOr<kt::LoadOptions> OptionsFromFlags() {
  kt::LoadOptions options;
  auto endpoint = kt::ParseEndpoint(absl::GetFlag(FLAGS_target));
  if (!endpoint.ok()) return endpoint.status();
  options.endpoint = *endpoint;
  std::string body;
  if (!absl::GetFlag(FLAGS_body_file).empty()) {
    auto read = kepler::model::core::ReadFile(absl::GetFlag(FLAGS_body_file));
    if (!read.ok()) return read.status();
    body = *std::move(read);
  }
  options.request = kt::HttpRequestBytes(absl::GetFlag(FLAGS_method), absl::GetFlag(FLAGS_path),
                                         kt::EndpointName(*endpoint), body,
                                         absl::GetFlag(FLAGS_content_type));
  options.new_reader = [] { return std::make_unique<kt::HttpReplyReader>(); };
  options.connections = absl::GetFlag(FLAGS_connections);
  options.rate = absl::GetFlag(FLAGS_rate);
  options.duration = absl::GetFlag(FLAGS_duration);
  options.warmup = absl::GetFlag(FLAGS_warmup);
  return options;
}

std::string Title(const kt::LoadOptions& options) {
  std::string loop = options.rate > 0 ? absl::StrFormat("open loop at %g requests/s", options.rate)
                                      : "closed loop";
  return absl::StrCat(absl::GetFlag(FLAGS_method), " ", absl::GetFlag(FLAGS_path), " on ",
                      kt::EndpointName(options.endpoint), ", ", options.connections,
                      " connections, ", loop);
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::signal(SIGPIPE, SIG_IGN);
  auto options = OptionsFromFlags();
  if (!options.ok()) {
    std::cerr << "http-load: " << options.status() << "\n";
    return 2;
  }
  auto result = kt::RunLoad(*options, absl::GetFlag(FLAGS_threads));
  if (!result.ok()) {
    std::cerr << "http-load: " << result.status() << "\n";
    return 1;
  }
  std::cout << kt::FormatReport(Title(*options), *result);
  return 0;
}
