#include "core/testing/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace kepler::model::core::test_util {

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Start(Options options) {
  int log = open(options.log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (log < 0) return absl::InternalError(absl::StrCat("cannot open ", options.log_path));
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (const auto& [key, value] : options.env) setenv(key.c_str(), value.c_str(), 1);
    std::vector<char*> argv;
    argv.push_back(options.program.data());
    for (std::string& arg : options.args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(options.program.c_str(), argv.data());
    _exit(127);
  }
  close(log);
  return std::unique_ptr<Subprocess>(new Subprocess(pid, options.log_path));
}

Subprocess::~Subprocess() {
  if (!exited_) (void)Stop(SIGKILL, absl::Seconds(5));
}

std::string Subprocess::Log() const {
  std::ifstream in(log_path_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<std::string> Subprocess::WaitForLog(const std::string& prefix,
                                                   absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    std::string log = Log();
    size_t at = log.find(prefix);
    if (at != std::string::npos) {
      size_t end = log.find('\n', at);
      if (end != std::string::npos) return log.substr(at + prefix.size(), end - at - prefix.size());
    }
    int status = 0;
    if (!exited_ && waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      return absl::FailedPreconditionError(absl::StrCat("process exited; log:\n", Log()));
    }
    if (exited_) return absl::FailedPreconditionError(absl::StrCat("process exited; log:\n", log));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return absl::DeadlineExceededError(absl::StrCat("no '", prefix, "' in log:\n", Log()));
}

absl::StatusOr<int> Subprocess::Stop(int signal, absl::Duration timeout) {
  if (exited_) return absl::FailedPreconditionError("already exited");
  kill(pid_, signal);
  absl::Time deadline = absl::Now() + timeout;
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) != pid_) {
    if (absl::Now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      exited_ = true;
      return absl::DeadlineExceededError("process did not exit in time");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  exited_ = true;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

absl::StatusOr<int> IntAfter(const std::string& text, const std::string& label) {
  size_t at = text.find(label);
  if (at == std::string::npos) return absl::NotFoundError(absl::StrCat("no '", label, "'"));
  size_t start = at + label.size();
  size_t end = start;
  while (end < text.size() && isdigit(static_cast<unsigned char>(text[end]))) ++end;
  int value = 0;
  if (!absl::SimpleAtoi(text.substr(start, end - start), &value)) {
    return absl::InvalidArgumentError(absl::StrCat("no integer after '", label, "'"));
  }
  return value;
}

}  // namespace kepler::model::core::test_util
