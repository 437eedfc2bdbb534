#include "tools/cli/training_inputs.h"

#include <algorithm>
#include <filesystem>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/energy_source.h"
#include "core/feature_group.h"
#include "core/file_util.h"
#include "core/status_macros.h"
#include "core/trainer_name.h"
#include "tools/cli/capture_merge.h"
#include "trainer/isolator_factory.h"

namespace kepler::model::tools::cli {
namespace {

bool IsKeyword(const std::vector<std::string>& names, absl::string_view keyword) {
  return names.size() == 1 && absl::EqualsIgnoreCase(names[0], keyword);
}

std::optional<v1::TrainerName> FindTrainer(absl::string_view name) {
  for (v1::TrainerName trainer : core::AllTrainers()) {
    std::string full = core::TrainerNameString(trainer);
    if (absl::EqualsIgnoreCase(name, full) ||
        absl::EqualsIgnoreCase(absl::StrCat(name, "Trainer"), full)) {
      return trainer;
    }
  }
  return std::nullopt;
}

std::string TrainerChoices() {
  std::vector<std::string> names;
  for (v1::TrainerName trainer : core::AllTrainers())
    names.push_back(core::TrainerNameString(trainer));
  return absl::StrJoin(names, ", ");
}

}  // namespace

absl::StatusOr<std::vector<v1::TrainerName>> ParseTrainers(const std::vector<std::string>& names) {
  if (IsKeyword(names, "all")) return core::AllTrainers();
  std::vector<v1::TrainerName> out;
  if (names.empty() || IsKeyword(names, "none")) return out;
  for (const std::string& name : names) {
    std::optional<v1::TrainerName> trainer = FindTrainer(name);
    if (!trainer.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("trainer '", name, "' is unknown; known: ", TrainerChoices(), ", all"));
    }
    if (std::find(out.begin(), out.end(), *trainer) == out.end()) out.push_back(*trainer);
  }
  return out;
}

absl::StatusOr<std::vector<v1::FeatureGroup>> ParseFeatureGroups(
    const std::vector<std::string>& names) {
  std::vector<v1::FeatureGroup> out;
  if (names.empty() || IsKeyword(names, "all")) return out;
  const auto groups = core::FeatureGroups::Default().Groups();
  for (const std::string& name : names) {
    auto found = std::find_if(groups.begin(), groups.end(), [&](v1::FeatureGroup group) {
      return absl::EqualsIgnoreCase(core::FeatureGroupName(group), name);
    });
    if (found == groups.end()) {
      std::vector<std::string> known;
      for (v1::FeatureGroup group : groups) known.push_back(core::FeatureGroupName(group));
      return absl::InvalidArgumentError(absl::StrCat(
          "feature group '", name, "' is unknown; known: ", absl::StrJoin(known, ", "), ", all"));
    }
    if (std::find(out.begin(), out.end(), *found) == out.end()) out.push_back(*found);
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> ParseEnergySources(const std::vector<std::string>& names) {
  if (IsKeyword(names, "all")) return core::EnergySources();
  if (names.empty()) return absl::InvalidArgumentError("no energy source given");
  std::vector<std::string> out;
  for (const std::string& name : names) {
    std::string source = core::NormalizeSource(absl::AsciiStrToLower(name));
    if (!core::IsKnownSource(source)) {
      return absl::InvalidArgumentError(
          absl::StrCat("energy source '", name,
                       "' is unknown; known: ", absl::StrJoin(core::EnergySources(), ", ")));
    }
    if (std::find(out.begin(), out.end(), source) == out.end()) out.push_back(source);
  }
  return out;
}

absl::StatusOr<v1::OutputType> ParseOutputTypeName(const std::string& name) {
  for (v1::OutputType type : core::OutputTypes()) {
    if (absl::EqualsIgnoreCase(core::OutputTypeName(type), name)) return type;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("output type '", name, "' is unknown; known: AbsPower, DynPower"));
}

absl::StatusOr<trainer::Capture> LoadCaptures(const std::vector<std::string>& paths) {
  if (paths.empty()) return absl::InvalidArgumentError("no capture file given");
  std::vector<trainer::Capture> captures;
  for (const std::string& path : paths) {
    auto capture = trainer::Capture::ReadFile(path);
    if (!capture.ok()) {
      if (absl::StrContains(capture.status().message(), path)) return capture.status();
      return absl::Status(capture.status().code(),
                          absl::StrCat(path, ": ", capture.status().message()));
    }
    captures.push_back(*std::move(capture));
  }
  if (captures.size() == 1) return std::move(captures[0]);
  std::vector<const trainer::Capture*> inputs;
  for (const auto& capture : captures) inputs.push_back(&capture);
  return trainer::Capture::Parse(MergeCaptures(inputs));
}

absl::StatusOr<core::NodeSpec> ReadMachineSpecFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, core::ReadFile(path));
  auto spec = core::ParseNodeSpecJson(text);
  if (!spec.ok())
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", spec.status().message()));
  return spec;
}

absl::Status ValidateIsolatorInputs(const IsolatorInputs& inputs) {
  ASSIGN_OR_RETURN(std::string name, trainer::CanonicalIsolatorName(inputs.name));
  if (name == "profile" && inputs.idle_path.empty()) {
    return absl::InvalidArgumentError("--isolator=profile needs --idle=<idle capture file>");
  }
  if (name == "trainer" && inputs.abs_pipeline.empty()) {
    return absl::InvalidArgumentError("--isolator=trainer needs --abs-pipeline=<pipeline folder>");
  }
  for (const std::string& arg : inputs.args) {
    if (arg.find('=') == std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("--isolator-arg '", arg, "' is not key=value"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<CliIsolator> MakeCliIsolator(const IsolatorInputs& inputs,
                                            const std::string& energy_source) {
  RETURN_IF_ERROR(ValidateIsolatorInputs(inputs));
  CliIsolator out;
  ASSIGN_OR_RETURN(out.name, trainer::CanonicalIsolatorName(inputs.name));
  trainer::IsolatorRequest request;
  request.name = out.name;
  request.energy_source = energy_source;
  if (!inputs.idle_path.empty()) {
    ASSIGN_OR_RETURN(trainer::Capture idle, LoadCaptures({inputs.idle_path}));
    out.idle = std::make_unique<trainer::Capture>(std::move(idle));
    request.idle = out.idle.get();
  }
  for (const std::string& arg : inputs.args) {
    size_t eq = arg.find('=');
    request.args[arg.substr(0, eq)] = arg.substr(eq + 1);
  }
  if (!inputs.abs_pipeline.empty()) {
    std::filesystem::path pipeline(inputs.abs_pipeline);
    if (!pipeline.has_filename()) pipeline = pipeline.parent_path();
    request.model_path = pipeline.parent_path().empty() ? "." : pipeline.parent_path().string();
    request.args["abs_pipeline_name"] = pipeline.filename().string();
  }
  ASSIGN_OR_RETURN(out.isolator, trainer::MakeIsolatorFor(request));
  return out;
}

std::optional<std::pair<double, double>> CaptureTimeRange(const trainer::Capture& capture) {
  double first = std::numeric_limits<double>::infinity();
  double last = -first;
  for (const std::string& query : capture.QueryNames()) {
    const trainer::SeriesTable* table = capture.Find(query);
    for (size_t s = 0; s < table->num_series(); ++s) {
      auto times = table->Timestamps(s);
      if (times.empty()) continue;
      first = std::min(first, times.front());
      last = std::max(last, times.back());
    }
  }
  if (first > last) return std::nullopt;
  return std::make_pair(first, last);
}

}  // namespace kepler::model::tools::cli
