#include "tools/cli/isolate_command.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "core/feature_group.h"
#include "core/status_macros.h"
#include "tools/cli/table_files.h"
#include "trainer/extractor.h"

namespace kepler::model::tools::cli {

absl::Status IsolateTables(const IsolateCommandOptions& options, std::ostream& out) {
  ASSIGN_OR_RETURN(trainer::Capture capture, LoadCaptures(options.captures));
  ASSIGN_OR_RETURN(std::unique_ptr<trainer::Extractor> extractor,
                   trainer::MakeExtractor(options.extractor));
  ASSIGN_OR_RETURN(std::vector<v1::FeatureGroup> groups,
                   GroupsToExtract(capture, options.feature_groups, options.use_vm_metrics));
  std::vector<CliIsolator> isolators;  // one per source: trainer isolation reads its models
  for (const std::string& source : options.energy_sources) {
    ASSIGN_OR_RETURN(CliIsolator isolator, MakeCliIsolator(options.isolator, source));
    isolators.push_back(std::move(isolator));
  }
  std::vector<TableJob> jobs;
  for (size_t s = 0; s < options.energy_sources.size(); ++s) {
    const std::string& source = options.energy_sources[s];
    const trainer::Isolator& isolator = *isolators[s].isolator;
    for (v1::FeatureGroup group : groups) {
      trainer::ExtractOptions extract;
      extract.energy_source = source;
      extract.feature_group = group;
      extract.node_level = false;
      extract.node_type = options.node_type;
      extract.use_vm_metrics = options.use_vm_metrics;
      std::string file = absl::StrCat("isolate_", options.extractor, "_", isolators[s].name, "_",
                                      source, "_", core::FeatureGroupName(group), ".csv");
      jobs.push_back({file, [&, extract]() -> absl::StatusOr<trainer::FeatureTable> {
                        ASSIGN_OR_RETURN(trainer::FeatureTable containers,
                                         extractor->Extract(capture, extract));
                        return isolator.Isolate(containers, extract.energy_source);
                      }});
    }
  }
  return WriteTableFiles(options.output_dir, jobs, out);
}

int IsolateMain(const std::vector<std::string>& args, CommandIo& io) {
  IsolateCommandOptions options;
  std::vector<std::string> sources = options.energy_sources, groups = {"all"};
  int node_type = -1;
  FlagSet flags("isolate", "Isolate dynamic power from a capture, as the DynPower trainers see it.",
                "CAPTURE...");
  flags.set_description(
      "Example:\n  kepler-model isolate --output-dir=/tmp/dyn --isolator=profile "
      "--idle=idle.json capture.json");
  flags.String("output-dir", &options.output_dir, "Folder for the CSV files. Required.");
  flags.String("isolator", &options.isolator.name, "min, none, profile or trainer.");
  flags.String("idle", &options.isolator.idle_path, "Idle capture file (profile: required).");
  flags.String("abs-pipeline", &options.isolator.abs_pipeline,
               "trainer isolator: AbsPower pipeline folder.");
  flags.List("isolator-arg", &options.isolator.args, "Isolator arguments key=value.");
  flags.List("energy-sources", &sources, "Energy sources, or 'all'.");
  flags.List("feature-groups", &groups,
             "Feature groups, or 'all' (every group the capture feeds).");
  flags.String("extractor", &options.extractor, "default or smooth.");
  flags.Int("node-type", &node_type, "Node type of every row (-1: from the capture).");
  flags.Bool("vm", &options.use_vm_metrics, "Read VM metrics (kepler_vm_*).");
  std::vector<std::string> positional;
  if (std::optional<int> done = ParseFlags(flags, args, io, &positional)) return *done;
  auto parsed_sources = ParseEnergySources(sources);
  auto parsed_groups = ParseFeatureGroups(groups);
  absl::Status valid = !parsed_sources.ok() ? parsed_sources.status() : parsed_groups.status();
  if (valid.ok()) valid = ValidateIsolatorInputs(options.isolator);
  if (valid.ok() && positional.empty()) valid = absl::InvalidArgumentError("no capture file given");
  if (valid.ok() && options.output_dir.empty()) {
    valid = absl::InvalidArgumentError("--output-dir is required");
  }
  if (valid.ok() && options.extractor != "default" && options.extractor != "smooth") {
    valid = absl::InvalidArgumentError("--extractor must be default or smooth");
  }
  if (!valid.ok()) return UsageError(flags, valid, io);
  options.captures = positional;
  options.energy_sources = *parsed_sources;
  options.feature_groups = *parsed_groups;
  if (node_type >= 0) options.node_type = node_type;
  return Finish(flags, IsolateTables(options, io.out), io);
}

}  // namespace kepler::model::tools::cli
