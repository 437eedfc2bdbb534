// FlagSet: the command-line flags of one kepler-model subcommand.
//
// What: a subcommand declares its flags, each bound to a variable that holds its default, then
// parses its arguments: `--name=value`, `--name value`, a bare `--name` for a bool (also
// `--name=false`), positional arguments anywhere, `--` ending the flags, and `-h`/`--help`.
// Names are written with dashes (`--node-type`); underscores are accepted too (`--node_type`).
// A list flag takes comma-separated values and may be repeated. Usage() renders the --help text
// from the declarations: the synopsis, a description, and every flag with its default.
// Why: Abseil flags are process-wide, so subcommands sharing a flag name (`--output` means a zip
// for `train` and a folder for `extract`) would collide, and every --help would list every flag of
// the binary. One FlagSet per subcommand keeps the flags in its entry point (STYLE habit 10) and
// gives each subcommand its own help; Options structs are filled from the bound variables there.
// How:
//   std::string output;
//   int threads = 0;
//   FlagSet flags("train", "Train a pipeline from captures.", "CAPTURE...");
//   flags.String("output", &output, "Pipeline folder, or a path ending in .zip.");
//   flags.Int("threads", &threads, "Worker threads (0: one per core).");
//   absl::StatusOr<std::vector<std::string>> positional = flags.Parse(args);
//   if (!positional.ok()) ...          // a usage error: unknown flag, bad number, missing value
//   if (flags.help_requested()) ...    // print flags.Usage()
//
// Thread-safety: not thread-safe; one FlagSet per parse. Bound variables are not owned and must
// outlive the FlagSet.
#ifndef KEPLER_TOOLS_CLI_FLAG_SET_H_
#define KEPLER_TOOLS_CLI_FLAG_SET_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kepler::model::tools::cli {

class FlagSet {
 public:
  // `command` names the subcommand in messages; `summary` is the one-line description;
  // `positional` describes positional arguments in the synopsis (e.g. "CAPTURE...", or "").
  FlagSet(std::string command, std::string summary, std::string positional);

  // Paragraphs printed after the synopsis in Usage() (examples, notes).
  void set_description(std::string text) { description_ = std::move(text); }

  // Declarations. The variable's value at declaration is the default shown in Usage().
  void String(std::string name, std::string* value, std::string help);
  void Int(std::string name, int* value, std::string help);
  void Uint64(std::string name, uint64_t* value, std::string help);
  void Double(std::string name, double* value, std::string help);
  void Bool(std::string name, bool* value, std::string help);
  // Comma-separated values; a repeated flag appends. Empty items are dropped.
  void List(std::string name, std::vector<std::string>* value, std::string help);

  // Parses `args` (without the program and subcommand names) into the bound variables and
  // returns the positional arguments in order. InvalidArgument naming the flag for an unknown
  // flag, a missing or malformed value, or a value given to a flag twice (lists excepted).
  // After `--help` parsing stops and help_requested() is true.
  [[nodiscard]] absl::StatusOr<std::vector<std::string>> Parse(
      const std::vector<std::string>& args);

  bool help_requested() const { return help_requested_; }
  // True when `name` was given on the command line.
  bool WasSet(absl::string_view name) const;
  // The --help text.
  std::string Usage() const;
  const std::string& command() const { return command_; }

 private:
  using Target =
      std::variant<std::string*, int*, uint64_t*, double*, bool*, std::vector<std::string>*>;
  struct Flag {
    std::string name;
    Target target;
    std::string help;
    std::string default_text;
    bool set = false;
  };
  void Add(std::string name, Target target, std::string help, std::string default_text);
  Flag* Find(absl::string_view name);
  absl::Status Assign(Flag& flag, absl::string_view value);
  // Consumes args[*i] (a flag); may consume the next argument as its value.
  absl::Status ParseFlag(const std::vector<std::string>& args, size_t* i);

  std::string command_;
  std::string summary_;
  std::string positional_;
  std::string description_;
  std::vector<Flag> flags_;
  bool help_requested_ = false;
};

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_FLAG_SET_H_
