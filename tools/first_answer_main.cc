// first-answer: starts a service and measures the time to its first successful answer.
//
//   first-answer --target=127.0.0.1:{port} --path=/model --body_file=request.json --
//         bazel-out/k8-opt/bin/server/kepler-model-server --port={port} ...
//   first-answer --target=unix:/tmp/e.sock --body_file=power.json --
//         bazel-out/k8-opt/bin/estimator/kepler-estimator --socket=/tmp/e.sock ...
//
// "{port}" in --target and in the command is replaced by a free TCP port. The clock starts
// just before fork; the request is repeated (every --poll_interval) until it succeeds (HTTP
// 2xx; for unix targets an estimator answer with an empty msg). Prints the time, the
// service's resident memory at that moment, and a RESULT line; then stops the service
// (SIGTERM, SIGKILL after 5 s). Exit status 1 when no success came within --timeout.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "core/file_util.h"
#include "tools/load/estimator_reply_reader.h"
#include "tools/load/http_reply_reader.h"
#include "tools/load/http_request.h"
#include "tools/load/one_shot.h"
#include "tools/load/proc_status.h"

ABSL_FLAG(std::string, target, "", "host:port or unix:/path to poll; may contain {port}.");
ABSL_FLAG(std::string, method, "POST", "HTTP method (host:port targets).");
ABSL_FLAG(std::string, path, "/model", "HTTP request target (host:port targets).");
ABSL_FLAG(std::string, body_file, "", "File holding the request body (or socket request).");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "Give up after this long.");
ABSL_FLAG(absl::Duration, poll_interval, absl::Microseconds(200), "Pause between attempts.");

namespace kt = kepler::model::tools;

namespace {

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

pid_t Spawn(const std::vector<std::string>& command) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  std::vector<char*> argv;
  for (const std::string& arg : command) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  execv(argv[0], argv.data());
  perror("first-answer: exec");
  _exit(127);
}

void Stop(pid_t pid) {
  kill(pid, SIGTERM);
  for (int i = 0; i < 500; ++i) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) return;
    absl::SleepFor(absl::Milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

struct Probe {
  kt::Endpoint endpoint;
  std::string request;
  std::unique_ptr<kt::ReplyReader> reader;
};

absl::StatusOr<Probe> MakeProbe(const std::string& target) {
  Probe probe;
  auto endpoint = kt::ParseEndpoint(target);
  if (!endpoint.ok()) return endpoint.status();
  probe.endpoint = *endpoint;
  std::string body;
  if (!absl::GetFlag(FLAGS_body_file).empty()) {
    auto read = kepler::model::core::ReadFile(absl::GetFlag(FLAGS_body_file));
    if (!read.ok()) return read.status();
    body = *std::move(read);
  }
  if (!endpoint->unix_path.empty()) {
    probe.request = std::move(body);
    probe.reader = std::make_unique<kt::EstimatorReplyReader>();
  } else {
    probe.request = kt::HttpRequestBytes(absl::GetFlag(FLAGS_method), absl::GetFlag(FLAGS_path),
                                         target, body);
    probe.reader = std::make_unique<kt::HttpReplyReader>();
  }
  return probe;
}

// Polls until a successful answer; returns the number of attempts, or an error.
absl::StatusOr<int> PollUntilAnswered(Probe& probe, pid_t pid, absl::Time deadline) {
  std::string last = "no attempt";
  for (int attempt = 1; absl::Now() < deadline; ++attempt) {
    absl::Status status = kt::ExchangeOnce(probe.endpoint, probe.request,
                                           deadline - absl::Now(), probe.reader.get());
    if (status.ok() && probe.reader->ok()) return attempt;
    last = status.ok() ? probe.reader->label() : status.ToString();
    if (waitpid(pid, nullptr, WNOHANG) == pid) {
      return absl::AbortedError(absl::StrCat("the service exited; last attempt: ", last));
    }
    absl::SleepFor(absl::GetFlag(FLAGS_poll_interval));
  }
  return absl::DeadlineExceededError(absl::StrCat("no success in time; last attempt: ", last));
}

int Measure(Probe& probe, const std::vector<std::string>& command) {
  const absl::Time start = absl::Now();
  pid_t pid = Spawn(command);
  auto attempts = PollUntilAnswered(probe, pid, start + absl::GetFlag(FLAGS_timeout));
  const double ms = absl::ToDoubleMilliseconds(absl::Now() - start);
  auto memory = kt::ReadMemoryUsage(pid);
  Stop(pid);
  if (!attempts.ok()) {
    std::cerr << "first-answer: " << attempts.status() << "\n";
    return 1;
  }
  std::cout << "first successful answer " << ms << " ms after start (" << *attempts
            << " attempts)\nRESULT first_answer_ms=" << ms << " attempts=" << *attempts
            << " vmrss_kb=" << (memory.ok() ? memory->rss_kb : -1)
            << " vmhwm_kb=" << (memory.ok() ? memory->hwm_kb : -1) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  std::vector<std::string> command(positional.begin() + 1, positional.end());
  if (command.empty() || absl::GetFlag(FLAGS_target).empty()) {
    std::cerr << "usage: first-answer --target=... [--body_file=...] -- /path/to/service args\n";
    return 2;
  }
  const std::string port = absl::StrCat(FreePort());
  for (std::string& arg : command) arg = absl::StrReplaceAll(arg, {{"{port}", port}});
  auto probe = MakeProbe(absl::StrReplaceAll(absl::GetFlag(FLAGS_target), {{"{port}", port}}));
  if (!probe.ok()) {
    std::cerr << "first-answer: " << probe.status() << "\n";
    return 2;
  }
  return Measure(*probe, command);
}
