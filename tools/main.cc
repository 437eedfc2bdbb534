// kepler-model: the offline toolbox of the Kepler power-model service (contract §9.2, issue 7).
//
//   kepler-model <command> [flags] [args]     kepler-model <command> --help
//
// Each subcommand lives in tools/cli/<command>_command.{h,cc} with its own flags; this file only
// dispatches. Exit codes: 0 success, 1 the work failed, 2 a usage error.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "core/version.h"
#include "tools/cli/command.h"
#include "tools/cli/estimate_command.h"
#include "tools/cli/export_command.h"
#include "tools/cli/extract_command.h"
#include "tools/cli/inspect_command.h"
#include "tools/cli/isolate_command.h"
#include "tools/cli/plot_command.h"
#include "tools/cli/query_command.h"
#include "tools/cli/train_command.h"

namespace cli = kepler::model::tools::cli;

namespace {

const std::vector<cli::Command>& Commands() {
  static const auto* commands = new std::vector<cli::Command>{
      {"query", "Prometheus server -> capture file", cli::QueryMain},
      {"train", "capture file(s) -> pipeline folder or zip", cli::TrainMain},
      {"extract", "capture -> CSV tables the AbsPower trainers see", cli::ExtractMain},
      {"isolate", "capture -> CSV tables the DynPower trainers see", cli::IsolateMain},
      {"inspect", "a pipeline's models and their errors, as a table", cli::InspectMain},
      {"export", "pipeline -> model-database layout, good models only", cli::ExportMain},
      {"estimate", "model or pipeline + CSV of metric rows -> CSV of watts", cli::EstimateMain},
      {"plot", "SVG power curves and predicted-vs-measured plots per model", cli::PlotMain},
  };
  return *commands;
}

void PrintUsage(std::ostream& out) {
  out << "Usage: kepler-model <command> [flags] [args]\n\n"
      << "Trains, inspects, exports and evaluates Kepler power models.\n\nCommands:\n";
  for (const cli::Command& command : Commands()) {
    out << "  " << command.name << std::string(10 - std::string(command.name).size(), ' ')
        << command.summary << "\n";
  }
  out << "\nRun 'kepler-model <command> --help' for a command's flags; "
         "'kepler-model --version' for the version.\n";
}

const cli::Command* FindCommand(const std::string& name) {
  for (const cli::Command& command : Commands()) {
    if (name == command.name) return &command;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    PrintUsage(std::cerr);
    return cli::kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || (args[0] == "help" && args.size() == 1)) {
    PrintUsage(std::cout);
    return cli::kExitOk;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::cout << "kepler-model " << kepler::model::core::kVersion << "\n";
    return cli::kExitOk;
  }
  if (args[0] == "help") args = {args[1], "--help"};
  const cli::Command* command = FindCommand(args[0]);
  if (command == nullptr) {
    std::cerr << "kepler-model: unknown command '" << args[0] << "'\n\n";
    PrintUsage(std::cerr);
    return cli::kExitUsage;
  }
  cli::CommandIo io{std::cout, std::cerr, isatty(STDERR_FILENO) == 1};
  return command->main(std::vector<std::string>(args.begin() + 1, args.end()), io);
}
