// A real Prometheus server for integration tests (testonly).
//
// What: starts Debian's `prometheus` on 127.0.0.1 at a free port with its data in a test folder,
// optionally backfilled first with `promtool tsdb create-blocks-from openmetrics`, and stops it
// (SIGTERM) when asked or when destroyed. Restart() brings it back on the same port and data.
// Why: the online trainer's tests must read captures through the real HTTP API (query_range
// evaluation, label listing, envelopes), and see it go down and come back.
// How:
//   if (PrometheusServer::FindBinary("prometheus").empty()) GTEST_SKIP() << "...";
//   ASSERT_TRUE(PrometheusServer::Backfill(openmetrics_text, dir + "/data").ok());
//   ASSERT_OK_AND_ASSIGN(auto prometheus, PrometheusServer::Start({dir}));
//   prometheus->url();  // "http://127.0.0.1:<port>"
// Nothing is installed here: tools/setup.sh installs the `prometheus` package.
//
// Thread-compatible: one thread drives a server.
#ifndef KEPLER_TRAINER_TESTING_PROMETHEUS_SERVER_H_
#define KEPLER_TRAINER_TESTING_PROMETHEUS_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/testing/subprocess.h"

namespace kepler::model::trainer::testing {

class PrometheusServer {
 public:
  struct Options {
    // Folder of the server's data (<dir>/data), configuration and log. Required.
    std::string dir;
    // host:port targets scraped every second (e.g. tools:capture-exporter). Default none.
    std::vector<std::string> scrape_targets;
  };

  // The path of `name` ("prometheus", "promtool") on PATH, /usr/bin or /usr/local/bin; "" when
  // it is not installed.
  static std::string FindBinary(absl::string_view name);

  // Writes `openmetrics` to a file and runs promtool to create blocks in `data_dir`.
  [[nodiscard]] static absl::Status Backfill(const std::string& openmetrics,
                                             const std::string& data_dir);

  // Starts the server and waits until it is ready (up to 60 s).
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<PrometheusServer>> Start(Options options);

  ~PrometheusServer();

  // Stops the server (SIGTERM, then waits); OK when already stopped.
  [[nodiscard]] absl::Status Stop();
  // Starts it again on the same port and data; waits until it is ready.
  [[nodiscard]] absl::Status Restart();

  int port() const { return port_; }
  std::string url() const;
  // The log of the current (or last) run.
  std::string Log() const;

 private:
  PrometheusServer(Options options, int port) : options_(std::move(options)), port_(port) {}
  absl::Status Launch();

  const Options options_;
  const int port_;
  int runs_ = 0;
  std::unique_ptr<core::test_util::Subprocess> process_;
};

}  // namespace kepler::model::trainer::testing

#endif  // KEPLER_TRAINER_TESTING_PROMETHEUS_SERVER_H_
