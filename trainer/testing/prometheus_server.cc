#include "trainer/testing/prometheus_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/file_util.h"

namespace kepler::model::trainer::testing {
namespace {

// A loopback TCP port that was free a moment ago.
absl::StatusOr<int> FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  bool ok = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
            getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  close(fd);
  if (!ok) return absl::InternalError("no free port");
  return ntohs(address.sin_port);
}

// Runs `argv` to completion with its output in `log`; the exit status.
absl::StatusOr<int> Run(std::vector<std::string> argv, const std::string& log) {
  int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return absl::InternalError(absl::StrCat("cannot open ", log));
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    std::vector<char*> args;
    for (std::string& arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(fd);
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return absl::InternalError("waitpid failed");
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string Config(const std::vector<std::string>& targets) {
  std::string config = "global:\n  scrape_interval: 1s\n";
  if (targets.empty()) return config;
  return absl::StrCat(config, "scrape_configs:\n  - job_name: kepler-exporter\n",
                      "    honor_labels: true\n    static_configs:\n      - targets: ['",
                      absl::StrJoin(targets, "', '"), "']\n");
}

}  // namespace

std::string PrometheusServer::FindBinary(absl::string_view name) {
  const char* path = std::getenv("PATH");
  std::vector<std::string> dirs = absl::StrSplit(path ? path : "", ':', absl::SkipEmpty());
  dirs.push_back("/usr/bin");
  dirs.push_back("/usr/local/bin");
  for (const std::string& dir : dirs) {
    std::string candidate = absl::StrCat(dir, "/", name);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

absl::Status PrometheusServer::Backfill(const std::string& openmetrics, const std::string& data_dir) {
  std::string promtool = FindBinary("promtool");
  if (promtool.empty()) return absl::NotFoundError("promtool is not installed");
  const std::string input = data_dir + ".om";
  if (absl::Status s = core::MakeDirs(data_dir); !s.ok()) return s;
  if (absl::Status s = core::WriteFileAtomic(input, openmetrics); !s.ok()) return s;
  const std::string log = data_dir + ".promtool.log";
  auto code = Run({promtool, "tsdb", "create-blocks-from", "openmetrics", input, data_dir}, log);
  if (!code.ok()) return code.status();
  if (*code != 0) {
    return absl::InternalError(absl::StrCat("promtool exited ", *code, ": ",
                                            core::ReadFile(log).value_or("")));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<PrometheusServer>> PrometheusServer::Start(Options options) {
  if (FindBinary("prometheus").empty()) return absl::NotFoundError("prometheus is not installed");
  if (absl::Status s = core::MakeDirs(options.dir + "/data"); !s.ok()) return s;
  std::string config = options.dir + "/prometheus.yml";
  if (absl::Status s = core::WriteFileAtomic(config, Config(options.scrape_targets)); !s.ok()) {
    return s;
  }
  absl::Status launched;
  for (int attempt = 0; attempt < 3; ++attempt) {  // the free port may be taken meanwhile
    auto port = FreePort();
    if (!port.ok()) return port.status();
    std::unique_ptr<PrometheusServer> server(new PrometheusServer(options, *port));
    launched = server->Launch();
    if (launched.ok()) return server;
  }
  return launched;
}

absl::Status PrometheusServer::Launch() {
  ++runs_;
  core::test_util::Subprocess::Options run;
  run.program = FindBinary("prometheus");
  run.args = {"--config.file=" + options_.dir + "/prometheus.yml",
              "--storage.tsdb.path=" + options_.dir + "/data",
              absl::StrCat("--web.listen-address=127.0.0.1:", port_),
              "--storage.tsdb.retention.time=30d"};
  run.log_path = absl::StrCat(options_.dir, "/prometheus-", runs_, ".log");
  auto process = core::test_util::Subprocess::Start(std::move(run));
  if (!process.ok()) return process.status();
  process_ = *std::move(process);
  auto ready = process_->WaitForLog("Server is ready to receive web requests", absl::Seconds(60));
  if (!ready.ok()) {
    process_.reset();
    return ready.status();
  }
  return absl::OkStatus();
}

PrometheusServer::~PrometheusServer() { (void)Stop(); }

absl::Status PrometheusServer::Stop() {
  if (process_ == nullptr) return absl::OkStatus();
  auto code = process_->Stop(SIGTERM, absl::Seconds(30));
  if (code.ok()) process_.reset();
  return code.status();
}

absl::Status PrometheusServer::Restart() {
  if (absl::Status stopped = Stop(); !stopped.ok()) return stopped;
  return Launch();
}

std::string PrometheusServer::url() const { return absl::StrCat("http://127.0.0.1:", port_); }

std::string PrometheusServer::Log() const {
  return core::ReadFile(absl::StrCat(options_.dir, "/prometheus-", runs_, ".log")).value_or("");
}

}  // namespace kepler::model::trainer::testing
