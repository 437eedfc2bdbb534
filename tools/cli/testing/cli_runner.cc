#include "tools/cli/testing/cli_runner.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "core/file_util.h"

extern char** environ;

namespace kepler::model::tools::cli::testing {
namespace {

namespace fs = std::filesystem;

std::string TempRoot() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : fs::temp_directory_path().string();
}

std::vector<std::string> Environment(const std::vector<std::pair<std::string, std::string>>& env) {
  std::vector<std::string> out;
  for (char** entry = environ; *entry != nullptr; ++entry) out.emplace_back(*entry);
  for (const auto& [key, value] : env) out.push_back(absl::StrCat(key, "=", value));
  return out;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

CliResult RunKeplerModel(const std::vector<std::string>& args,
                         const std::vector<std::pair<std::string, std::string>>& env) {
  static std::atomic<int> counter{0};
  std::string base = absl::StrCat(TempRoot(), "/cli-run-", getpid(), "-", counter++);
  std::string out_path = base + ".out", err_path = base + ".err";
  std::vector<std::string> argv = {"tools/kepler-model"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> envp = Environment(env);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  CliResult result;
  int spawned = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, Pointers(argv).data(),
                            Pointers(envp).data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    result.err = absl::StrCat("cannot start ", argv[0], ": ", strerror(spawned));
    return result;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = ReadText(out_path);
  result.err = ReadText(err_path);
  return result;
}

std::string WriteCapture(const std::string& path, const GeneratorOptions& options) {
  auto generated = GenerateCapture(options);
  if (!generated.ok()) {
    std::cerr << "WriteCapture: " << generated.status() << "\n";
    return "";
  }
  absl::Status written = core::WriteFileAtomic(path, generated->json);
  if (!written.ok()) {
    std::cerr << "WriteCapture: " << written << "\n";
    return "";
  }
  return path;
}

std::string FreshDir(const std::string& name) {
  std::string dir = absl::StrCat(TempRoot(), "/", name);
  (void)core::RemoveAll(dir);
  (void)core::MakeDirs(dir);
  return dir;
}

std::string ReadText(const std::string& path) { return core::ReadFile(path).value_or(""); }

}  // namespace kepler::model::tools::cli::testing
