#include "tools/cli/command.h"

namespace kepler::model::tools::cli {

std::optional<int> ParseFlags(FlagSet& flags, const std::vector<std::string>& args, CommandIo& io,
                              std::vector<std::string>* positional) {
  absl::StatusOr<std::vector<std::string>> parsed = flags.Parse(args);
  if (!parsed.ok()) return UsageError(flags, parsed.status(), io);
  if (flags.help_requested()) {
    io.out << flags.Usage();
    return kExitOk;
  }
  *positional = *std::move(parsed);
  return std::nullopt;
}

int UsageError(const FlagSet& flags, const absl::Status& status, CommandIo& io) {
  io.err << "kepler-model " << flags.command() << ": " << status.message() << "\n"
         << "Run 'kepler-model " << flags.command() << " --help' for usage.\n";
  return kExitUsage;
}

int Finish(const FlagSet& flags, const absl::Status& status, CommandIo& io) {
  if (status.ok()) return kExitOk;
  io.err << "kepler-model " << flags.command() << ": " << status.message() << "\n";
  return kExitFailure;
}

bool WantProgress(const FlagSet& flags, bool progress_flag, const CommandIo& io) {
  return flags.WasSet("progress") ? progress_flag : io.err_is_tty;
}

}  // namespace kepler::model::tools::cli
