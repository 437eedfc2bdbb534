// Starting the project's real binaries from integration tests.
//
// A Subprocess runs a program with arguments and extra environment, its stderr and stdout going
// to a log file the test can read (to learn a chosen port, or to print on failure). The
// destructor sends SIGTERM and waits, so a failing test never leaves a server behind.
#ifndef KEPLER_CORE_TESTING_SUBPROCESS_H_
#define KEPLER_CORE_TESTING_SUBPROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace kepler::model::core::test_util {

class Subprocess {
 public:
  struct Options {
    std::string program;  // path, e.g. "server/kepler-model-server" (runfiles-relative)
    std::vector<std::string> args;
    std::vector<std::pair<std::string, std::string>> env;  // added to the test's environment
    std::string log_path;                                    // stdout+stderr
  };

  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(Options options);
  ~Subprocess();

  // Waits until the log contains a line matching `prefix` ... and returns the text after
  // `prefix` on that line; DeadlineExceeded (with the log) after `timeout`, or FailedPrecondition
  // when the process exits first.
  absl::StatusOr<std::string> WaitForLog(const std::string& prefix,
                                         absl::Duration timeout = absl::Seconds(20));

  // Sends `signal` and waits for the exit; returns the exit status (128 + signal if killed).
  absl::StatusOr<int> Stop(int signal, absl::Duration timeout = absl::Seconds(20));

  // The whole log so far.
  std::string Log() const;
  pid_t pid() const { return pid_; }

 private:
  Subprocess(pid_t pid, std::string log_path) : pid_(pid), log_path_(std::move(log_path)) {}

  pid_t pid_;
  std::string log_path_;
  bool exited_ = false;
};

// The integer after `label` in `line`-oriented text, e.g. PortAfter(log, "HTTP on port ").
absl::StatusOr<int> IntAfter(const std::string& text, const std::string& label);

}  // namespace kepler::model::core::test_util

#endif  // KEPLER_CORE_TESTING_SUBPROCESS_H_
