// capture-exporter: puts a capture (tools/capture_generator.h, or any trainer capture) into a
// Prometheus, for tests and demos of the online trainer. See tools/capture_openmetrics.h.
//
// Backfill: write OpenMetrics text for promtool, then exit:
//   bazel run //tools:capture-exporter -- --capture=/tmp/capture.json --openmetrics_out=/tmp/c.om
//   promtool tsdb create-blocks-from openmetrics /tmp/c.om /prometheus/data
// Replay: serve GET /metrics as Kepler would, the capture's first sample at start and then in
// step with wall time (times `--speed`); after the last sample the last values stay:
//   bazel run //tools:capture-exporter -- --capture=/tmp/capture.json --port=9102
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "core/file_util.h"
#include "core/termination_signal.h"
#include "gateway/http_server.h"
#include "tools/capture_openmetrics.h"
#include "trainer/capture.h"

ABSL_FLAG(std::string, capture, "", "Capture JSON to export. Required.");
ABSL_FLAG(std::string, openmetrics_out, "", "Write OpenMetrics text for promtool here and exit.");
ABSL_FLAG(double, time_offset, 0, "Seconds added to every timestamp of --openmetrics_out.");
ABSL_FLAG(std::string, address, "127.0.0.1", "Address of the replay's HTTP server.");
ABSL_FLAG(int, port, 0, "Port of the replay's HTTP server (0 picks a free one).");
ABSL_FLAG(double, speed, 1, "Capture seconds replayed per wall-clock second.");

namespace {

namespace kc = kepler::model::core;
namespace kg = kepler::model::gateway;
namespace kt = kepler::model::trainer;
namespace tools = kepler::model::tools;

int Backfill(const kt::Capture& capture) {
  absl::Status written = kc::WriteFileAtomic(
      absl::GetFlag(FLAGS_openmetrics_out),
      tools::CaptureToOpenMetrics(capture, absl::GetFlag(FLAGS_time_offset)));
  if (!written.ok()) {
    std::cerr << "capture-exporter: " << written << "\n";
    return 1;
  }
  std::cerr << "capture-exporter: wrote " << capture.num_samples() << " samples to "
            << absl::GetFlag(FLAGS_openmetrics_out) << "\n";
  return 0;
}

int Replay(const kt::Capture& capture) {
  const auto [first, last] = tools::CaptureTimeRange(capture);
  const absl::Time start = absl::Now();
  kg::HttpServer::Options options;
  options.address = absl::GetFlag(FLAGS_address);
  options.port = absl::GetFlag(FLAGS_port);
  options.routes.push_back({"GET", "/metrics", [&, first = first, last = last](const kg::HttpRequest&) {
    double elapsed = absl::ToDoubleSeconds(absl::Now() - start) * absl::GetFlag(FLAGS_speed);
    kg::HttpResponse response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = tools::ExpositionAt(capture, std::min(first + elapsed, last));
    return response;
  }});
  auto server = kg::HttpServer::Create(std::move(options));
  if (!server.ok()) {
    std::cerr << "capture-exporter: " << server.status() << "\n";
    return 1;
  }
  std::cerr << "capture-exporter: replaying " << capture.num_samples() << " samples on port "
            << (*server)->port() << "\n";
  kc::WaitForTerminationSignal();
  (*server)->Stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  kc::BlockTerminationSignals();
  auto capture = kt::Capture::ReadFile(absl::GetFlag(FLAGS_capture));
  if (!capture.ok()) {
    std::cerr << "capture-exporter: " << capture.status() << "\n";
    return 2;
  }
  return absl::GetFlag(FLAGS_openmetrics_out).empty() ? Replay(*capture) : Backfill(*capture);
}
