// Running the real kepler-model binary from end-to-end tests (testonly).
//
// What: RunKeplerModel starts `tools/kepler-model` (a data dependency of the test, found in the
// runfiles) with arguments, waits for it, and returns its exit code, stdout and stderr.
// WriteCapture writes a generated capture (tools/capture_generator.h) to a file.
// Why: the CLI's contract is its exit codes, its output and the files it writes; tests assert on
// exactly those, as a user would see them, rather than on the libraries behind them.
// How:
//   CliResult r = RunKeplerModel({"inspect", pipeline_dir});
//   EXPECT_EQ(r.exit_code, 0) << r.err;
//
// Thread-safety: each call runs its own process; outputs go to unique files under TEST_TMPDIR.
#ifndef KEPLER_TOOLS_CLI_TESTING_CLI_RUNNER_H_
#define KEPLER_TOOLS_CLI_TESTING_CLI_RUNNER_H_

#include <string>
#include <utility>
#include <vector>

#include "tools/capture_generator.h"

namespace kepler::model::tools::cli::testing {

struct CliResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
};

// Runs the binary; `env` entries are added to the environment. A failure to start it is
// reported as exit code -1 with the reason in `err`.
CliResult RunKeplerModel(const std::vector<std::string>& args,
                         const std::vector<std::pair<std::string, std::string>>& env = {});

// Writes GenerateCapture(options).json to `path` and returns `path` (empty on failure, with
// the reason printed to stderr).
std::string WriteCapture(const std::string& path, const GeneratorOptions& options);

// A fresh empty folder under TEST_TMPDIR named after `name`.
std::string FreshDir(const std::string& name);

// The content of the file at `path` ("" when unreadable).
std::string ReadText(const std::string& path);

}  // namespace kepler::model::tools::cli::testing

#endif  // KEPLER_TOOLS_CLI_TESTING_CLI_RUNNER_H_
