// The shape every kepler-model subcommand shares: its entry point, streams, and exit codes.
//
// What: a subcommand is a `CommandMain` taking its arguments (after the subcommand name) and a
// CommandIo. It declares its flags in a FlagSet, copies them into the Options of its library
// function, and maps the outcome to an exit code: 0 success, 2 a usage error (unknown flag, bad
// value, missing input, unknown trainer or feature group: the user must change the command
// line), 1 a failure while doing the work (unreadable capture, nothing trainable, I/O error).
// Why: one place for the exit-code contract and the message format ("kepler-model <cmd>: <why>"
// on stderr), so every subcommand behaves the same and tests can run them in-process.
// How:
//   int TrainMain(const std::vector<std::string>& args, CommandIo& io) {
//     FlagSet flags(...); ...
//     std::vector<std::string> positional;
//     if (std::optional<int> done = ParseFlags(flags, args, io, &positional)) return *done;
//     absl::StatusOr<TrainOptions> options = ...;   // validation
//     if (!options.ok()) return UsageError(flags, options.status(), io);
//     return Finish(flags, Train(*options, io), io);
//   }
//
// Thread-safety: CommandIo's streams are not synchronised; subcommands write from one thread
// (the progress bar serialises its own updates).
#ifndef KEPLER_TOOLS_CLI_COMMAND_H_
#define KEPLER_TOOLS_CLI_COMMAND_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/cli/flag_set.h"

namespace kepler::model::tools::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Where a subcommand writes. Not owned.
struct CommandIo {
  std::ostream& out;
  std::ostream& err;
  // Whether `err` is a terminal: progress bars are drawn by default only then.
  bool err_is_tty = false;
};

using CommandMain = int (*)(const std::vector<std::string>& args, CommandIo& io);

// A subcommand as the binary lists and dispatches it.
struct Command {
  const char* name;     // e.g. "train"
  const char* summary;  // one line for `kepler-model --help`
  CommandMain main;     // its entry point
};

// Parses `args` into `flags`. Returns the exit code when the command is done: 0 after printing
// --help to io.out, kExitUsage after reporting a usage error; nullopt to go on.
std::optional<int> ParseFlags(FlagSet& flags, const std::vector<std::string>& args, CommandIo& io,
                              std::vector<std::string>* positional);

// Reports `status` as a usage error ("kepler-model <cmd>: <message>" and a --help hint) and
// returns kExitUsage.
int UsageError(const FlagSet& flags, const absl::Status& status, CommandIo& io);

// kExitOk for OK; otherwise reports `status` ("kepler-model <cmd>: <message>") and returns
// kExitFailure, whatever its code: by then the command line was valid.
int Finish(const FlagSet& flags, const absl::Status& status, CommandIo& io);

// Whether to draw a progress bar: the --progress flag when given, else whether stderr is a TTY.
bool WantProgress(const FlagSet& flags, bool progress_flag, const CommandIo& io);

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_COMMAND_H_
