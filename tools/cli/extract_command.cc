#include "tools/cli/extract_command.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "core/feature_group.h"
#include "core/status_macros.h"
#include "tools/cli/table_files.h"
#include "tools/cli/training_inputs.h"
#include "trainer/extractor.h"

namespace kepler::model::tools::cli {

absl::Status ExtractTables(const ExtractCommandOptions& options, std::ostream& out) {
  ASSIGN_OR_RETURN(trainer::Capture capture, LoadCaptures(options.captures));
  ASSIGN_OR_RETURN(std::unique_ptr<trainer::Extractor> extractor,
                   trainer::MakeExtractor(options.extractor));
  ASSIGN_OR_RETURN(std::vector<v1::FeatureGroup> groups,
                   GroupsToExtract(capture, options.feature_groups, options.use_vm_metrics));
  std::vector<std::pair<bool, std::string>> levels;
  if (options.node_level) levels.emplace_back(true, "node");
  if (options.container_level) levels.emplace_back(false, "container");
  std::vector<TableJob> jobs;
  for (const std::string& source : options.energy_sources) {
    for (v1::FeatureGroup group : groups) {
      for (const auto& [node_level, level] : levels) {
        trainer::ExtractOptions extract;
        extract.energy_source = source;
        extract.feature_group = group;
        extract.node_level = node_level;
        extract.node_type = options.node_type;
        extract.use_vm_metrics = options.use_vm_metrics;
        std::string file = absl::StrCat("extract_", options.extractor, "_", source, "_",
                                        core::FeatureGroupName(group), "_", level, ".csv");
        jobs.push_back({file, [&capture, &extractor, extract] {
                          return extractor->Extract(capture, extract);
                        }});
      }
    }
  }
  return WriteTableFiles(options.output_dir, jobs, out);
}

int ExtractMain(const std::vector<std::string>& args, CommandIo& io) {
  ExtractCommandOptions options;
  std::vector<std::string> sources = options.energy_sources, groups = {"all"};
  std::string level = "node";
  int node_type = -1;
  FlagSet flags("extract", "Extract the feature and power tables the trainers see, as CSV files.",
                "CAPTURE...");
  flags.set_description(
      "Example:\n  kepler-model extract --output-dir=/tmp/tables --feature-groups=BPFOnly "
      "--level=both capture.json");
  flags.String("output-dir", &options.output_dir, "Folder for the CSV files. Required.");
  flags.List("energy-sources", &sources, "Energy sources, or 'all'.");
  flags.List("feature-groups", &groups,
             "Feature groups, or 'all' (every group the capture feeds).");
  flags.String("level", &level, "node (AbsPower rows), container (isolator input) or both.");
  flags.String("extractor", &options.extractor, "default or smooth.");
  flags.Int("node-type", &node_type, "Node type of every row (-1: from the capture).");
  flags.Bool("vm", &options.use_vm_metrics, "Read VM metrics (kepler_vm_*).");
  std::vector<std::string> positional;
  if (std::optional<int> done = ParseFlags(flags, args, io, &positional)) return *done;
  auto parsed_sources = ParseEnergySources(sources);
  auto parsed_groups = ParseFeatureGroups(groups);
  absl::Status valid = !parsed_sources.ok() ? parsed_sources.status() : parsed_groups.status();
  if (valid.ok() && positional.empty()) valid = absl::InvalidArgumentError("no capture file given");
  if (valid.ok() && options.output_dir.empty()) {
    valid = absl::InvalidArgumentError("--output-dir is required");
  }
  if (valid.ok() && level != "node" && level != "container" && level != "both") {
    valid = absl::InvalidArgumentError("--level must be node, container or both");
  }
  if (valid.ok() && options.extractor != "default" && options.extractor != "smooth") {
    valid = absl::InvalidArgumentError("--extractor must be default or smooth");
  }
  if (!valid.ok()) return UsageError(flags, valid, io);
  options.captures = positional;
  options.energy_sources = *parsed_sources;
  options.feature_groups = *parsed_groups;
  options.node_level = level != "container";
  options.container_level = level != "node";
  if (node_type >= 0) options.node_type = node_type;
  return Finish(flags, ExtractTables(options, io.out), io);
}

}  // namespace kepler::model::tools::cli
