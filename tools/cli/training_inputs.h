// Command-line values shared by the training subcommands (train, extract, isolate, plot): lists
// of trainers, feature groups and energy sources, captures, machine specs and isolators.
//
// What: each Parse* turns the strings a user typed into the service's vocabulary, and fails
// with InvalidArgument naming the bad item and the accepted ones, so an entry point reports it
// as a usage error. LoadCaptures reads one or more capture files (merged as capture_merge.h
// describes). MakeCliIsolator builds the isolator a command asks for, with its inputs.
// Why: four subcommands accept the same spellings; parsing them once keeps the messages equal.
//
// Thread-safety: pure functions, except that the loaders read files.
#ifndef KEPLER_TOOLS_CLI_TRAINING_INPUTS_H_
#define KEPLER_TOOLS_CLI_TRAINING_INPUTS_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/node_type.h"
#include "kepler/model/v1/types.pb.h"
#include "trainer/capture.h"
#include "trainer/isolator.h"

namespace kepler::model::tools::cli {

// Trainer names, exactly or without the "Trainer" suffix, any case ("SGDRegressor",
// "xgboostfittrainer"); "all" means the ten; "none" or an empty list means none.
absl::StatusOr<std::vector<v1::TrainerName>> ParseTrainers(const std::vector<std::string>& names);

// Feature group names (any case); "all" or an empty list gives an empty list (every valid group).
absl::StatusOr<std::vector<v1::FeatureGroup>> ParseFeatureGroups(
    const std::vector<std::string>& names);

// Energy sources, normalised ("intel_rapl" -> "rapl-sysfs"); at least one; "all" means every
// known source.
absl::StatusOr<std::vector<std::string>> ParseEnergySources(const std::vector<std::string>& names);

// "AbsPower"/"DynPower" (any case).
absl::StatusOr<v1::OutputType> ParseOutputTypeName(const std::string& name);

// Reads the capture files at `paths` (at least one) into one Capture. Errors name the file.
absl::StatusOr<trainer::Capture> LoadCaptures(const std::vector<std::string>& paths);

// A machine spec file: {"processor", "cores", "chips", "memory", "frequency"}.
absl::StatusOr<core::NodeSpec> ReadMachineSpecFile(const std::string& path);

// What selects and feeds an isolator on the command line.
struct IsolatorInputs {
  // min | none | profile | trainer (or the class names).
  std::string name = "min";
  // Idle capture file: required for profile, optional background list for trainer.
  std::string idle_path;
  // trainer: the AbsPower pipeline folder whose models predict background power.
  std::string abs_pipeline;
  // key=value isolator arguments (target_hints, bg_hints).
  std::vector<std::string> args;
};

// An isolator with what it was built from (the idle capture lives as long as the isolator).
struct CliIsolator {
  std::string name;  // canonical: min | none | profile | trainer
  std::unique_ptr<trainer::Capture> idle;
  std::unique_ptr<trainer::Isolator> isolator;
};

// Checks `inputs` without reading files: the name is known, profile has an idle capture, trainer
// has an AbsPower pipeline, args are key=value. InvalidArgument otherwise.
absl::Status ValidateIsolatorInputs(const IsolatorInputs& inputs);

// Builds the isolator for `energy_source` (trainer isolation reads that source's models).
absl::StatusOr<CliIsolator> MakeCliIsolator(const IsolatorInputs& inputs,
                                            const std::string& energy_source);

// The earliest and latest sample times of `capture` (seconds); nullopt for an empty capture.
std::optional<std::pair<double, double>> CaptureTimeRange(const trainer::Capture& capture);

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_TRAINING_INPUTS_H_
