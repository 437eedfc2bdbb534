#include "tools/cli/train_command.h"

#include <unistd.h>

#include <filesystem>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/archive.h"
#include "core/energy_source.h"
#include "core/feature_group.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "core/status_macros.h"
#include "core/trainer_name.h"
#include "rapidjson/document.h"
#include "tools/cli/text_table.h"
#include "trainer/isolator_factory.h"

namespace kepler::model::tools::cli {
namespace {

namespace fs = std::filesystem;
using Allocator = rapidjson::Document::AllocatorType;

rapidjson::Value Str(const std::string& text, Allocator& allocator) {
  return rapidjson::Value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}

rapidjson::Value StrList(const std::vector<std::string>& items, Allocator& allocator) {
  rapidjson::Value list(rapidjson::kArrayType);
  for (const std::string& item : items) list.PushBack(Str(item, allocator), allocator);
  return list;
}

std::vector<std::string> TrainerNames(const std::vector<v1::TrainerName>& trainers) {
  std::vector<std::string> names;
  for (v1::TrainerName trainer : trainers) names.push_back(core::TrainerNameString(trainer));
  return names;
}

std::string UtcTime(double seconds) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::FromUnixSeconds(static_cast<int64_t>(seconds)),
                          absl::UTCTimeZone());
}

bool IsZipPath(const std::string& path) { return absl::EndsWithIgnoreCase(path, ".zip"); }

// A hidden scratch folder beside `output` (same filesystem, so publishing is a rename).
absl::StatusOr<std::string> MakeScratch(const std::string& output) {
  fs::path parent = fs::path(output).parent_path();
  if (parent.empty()) parent = ".";
  RETURN_IF_ERROR(core::MakeDirs(parent.string()));
  std::string scratch =
      (parent / absl::StrCat(".kepler-model-train-", getpid(), "-", absl::ToUnixNanos(absl::Now())))
          .string();
  RETURN_IF_ERROR(core::MakeDirs(scratch));
  return scratch;
}

absl::Status Publish(const std::string& staged, const std::string& output,
                     const std::string& scratch) {
  if (IsZipPath(output)) {
    ASSIGN_OR_RETURN(std::string zip, core::ZipFolder(staged));
    return core::WriteFileAtomic(output, zip);
  }
  return core::PublishDirectory(staged, output, scratch + "/previous");
}

absl::StatusOr<trainer::PipelineReport> TrainInto(const TrainOptions& options,
                                                  const std::string& scratch,
                                                  ProgressBar* progress) {
  if (progress) progress->Update(0, 0, "reading captures");
  ASSIGN_OR_RETURN(trainer::Capture capture, LoadCaptures(options.captures));
  ASSIGN_OR_RETURN(CliIsolator isolator,
                   MakeCliIsolator(options.isolator, options.pipeline.energy_sources.front()));
  trainer::PipelineOptions pipeline = options.pipeline;
  pipeline.isolator_name = isolator.name;
  if (progress) {
    progress->Update(0, 0, "extracting and isolating");
    pipeline.progress = [progress](const v1::TrainProgress& step) {
      progress->Update(step.done(), step.total(),
                       absl::StrCat(step.stage(), " ", core::FeatureGroupName(step.feature_group()),
                                    " ", core::TrainerNameString(step.trainer())));
    };
  }
  std::string staged = scratch + "/" + pipeline.name;
  ASSIGN_OR_RETURN(trainer::PipelineReport report,
                   trainer::TrainPipeline(capture, *isolator.isolator, pipeline, staged));
  if (progress) progress->Finish();
  RETURN_IF_ERROR(core::WriteFileAtomic(staged + "/train_arguments.json",
                                        TrainArgumentsJson(options, capture)));
  RETURN_IF_ERROR(Publish(staged, options.output, scratch));
  return report;
}

}  // namespace

std::string TrainArgumentsJson(const TrainOptions& options, const trainer::Capture& capture) {
  const trainer::PipelineOptions& p = options.pipeline;
  rapidjson::Document doc(rapidjson::kObjectType);
  Allocator& a = doc.GetAllocator();
  doc.AddMember("name", Str(p.name, a), a);
  doc.AddMember("captures", StrList(options.captures, a), a);
  doc.AddMember("energy_sources", StrList(p.energy_sources, a), a);
  std::vector<std::string> groups;
  for (v1::FeatureGroup group : p.feature_groups) groups.push_back(core::FeatureGroupName(group));
  doc.AddMember("feature_groups", StrList(groups, a), a);
  doc.AddMember("abs_trainers", StrList(TrainerNames(p.abs_trainers), a), a);
  doc.AddMember("dyn_trainers", StrList(TrainerNames(p.dyn_trainers), a), a);
  doc.AddMember("extractor", Str(p.extractor, a), a);
  doc.AddMember("isolator", Str(options.isolator.name, a), a);
  doc.AddMember("idle", Str(options.isolator.idle_path, a), a);
  doc.AddMember("abs_pipeline", Str(options.isolator.abs_pipeline, a), a);
  doc.AddMember("isolator_args", StrList(options.isolator.args, a), a);
  if (p.node_type.has_value()) doc.AddMember("node_type", *p.node_type, a);
  if (p.machine_spec.has_value()) {
    doc.AddMember("machine_spec", core::NodeSpecToJsonValue(*p.machine_spec, a), a);
    doc.AddMember("machine_id", Str(p.machine_id, a), a);
  }
  doc.AddMember("use_vm_metrics", p.use_vm_metrics, a);
  doc.AddMember("seed", static_cast<uint64_t>(p.seed), a);
  if (auto range = CaptureTimeRange(capture)) {
    doc.AddMember("collect_time", Str(UtcTime(range->first), a), a);
    doc.AddMember("collect_end_time", Str(UtcTime(range->second), a), a);
  }
  return core::WriteJson(doc, core::JsonWriteOptions::PythonDumps(false)).value_or("{}");
}

absl::StatusOr<trainer::PipelineReport> Train(const TrainOptions& options, ProgressBar* progress) {
  ASSIGN_OR_RETURN(std::string scratch, MakeScratch(options.output));
  auto report = TrainInto(options, scratch, progress);
  (void)core::RemoveAll(scratch);
  return report;
}

namespace {

// Command-line values before validation.
struct TrainFlags {
  std::string output, name, extractor = "default", machine_spec;
  std::vector<std::string> trainers = {"all"}, abs_trainers, dyn_trainers;
  std::vector<std::string> groups = {"all"}, sources = {"rapl-sysfs"};
  int node_type = -1, threads = 0;
  uint64_t seed = 0;
  bool vm = false, progress = false;
  std::string machine_id = "training-machine";
};

void DeclareFlags(FlagSet& flags, TrainFlags& f, IsolatorInputs& iso) {
  flags.String("output", &f.output,
               "Pipeline folder to write, or a path ending in .zip. Required.");
  flags.String("name", &f.name, "Pipeline name (default: the output's base name).");
  flags.List("trainers", &f.trainers, "Trainers for both output types: names, 'all' or 'none'.");
  flags.List("abs-trainers", &f.abs_trainers, "AbsPower trainers (overrides --trainers).");
  flags.List("dyn-trainers", &f.dyn_trainers, "DynPower trainers (overrides --trainers).");
  flags.List("feature-groups", &f.groups,
             "Feature groups, or 'all' (every group the capture feeds).");
  flags.List("energy-sources", &f.sources, "Energy sources (rapl-sysfs, acpi, ...), or 'all'.");
  flags.String("extractor", &f.extractor, "Extractor: default or smooth.");
  flags.String("isolator", &iso.name, "DynPower isolator: min, none, profile or trainer.");
  flags.String("idle", &iso.idle_path,
               "Idle capture file (profile: required; trainer: background list).");
  flags.String("abs-pipeline", &iso.abs_pipeline, "trainer isolator: AbsPower pipeline folder.");
  flags.List("isolator-arg", &iso.args, "Isolator arguments key=value (target_hints, bg_hints).");
  flags.Int("node-type", &f.node_type,
            "Node type of every row (-1: from the capture or the machine spec).");
  flags.String("machine-spec", &f.machine_spec,
               "Machine spec JSON file, indexed into node_type_index.json.");
  flags.String("machine-id", &f.machine_id, "Machine id recorded with --machine-spec.");
  flags.Bool("vm", &f.vm, "Train on VM metrics (kepler_vm_*).");
  flags.Uint64("seed", &f.seed, "Seed of the train/test split and stochastic trainers.");
  flags.Int("threads", &f.threads, "Worker threads (0: one per core).");
  flags.Bool("progress", &f.progress,
             "Draw a progress bar on stderr (default: when it is a terminal).");
}

std::string BaseName(const std::string& output) {
  fs::path path(output);
  if (!path.has_filename()) path = path.parent_path();
  std::string name = path.filename().string();
  return IsZipPath(name) ? name.substr(0, name.size() - 4) : name;
}

absl::StatusOr<TrainOptions> ToOptions(const TrainFlags& f, const IsolatorInputs& iso,
                                       std::vector<std::string> captures) {
  TrainOptions o;
  if (captures.empty()) return absl::InvalidArgumentError("no capture file given");
  if (f.output.empty()) return absl::InvalidArgumentError("--output is required");
  o.captures = std::move(captures);
  o.output = f.output;
  trainer::PipelineOptions& p = o.pipeline;
  p.name = f.name.empty() ? BaseName(f.output) : f.name;
  RETURN_IF_ERROR(core::ValidatePipelineName(p.name));
  ASSIGN_OR_RETURN(auto both, ParseTrainers(f.trainers));
  ASSIGN_OR_RETURN(p.abs_trainers, f.abs_trainers.empty() ? both : ParseTrainers(f.abs_trainers));
  ASSIGN_OR_RETURN(p.dyn_trainers, f.dyn_trainers.empty() ? both : ParseTrainers(f.dyn_trainers));
  if (p.abs_trainers.empty() && p.dyn_trainers.empty()) {
    return absl::InvalidArgumentError("no trainer selected");
  }
  ASSIGN_OR_RETURN(p.feature_groups, ParseFeatureGroups(f.groups));
  ASSIGN_OR_RETURN(p.energy_sources, ParseEnergySources(f.sources));
  if (f.extractor != "default" && f.extractor != "smooth") {
    return absl::InvalidArgumentError("--extractor must be default or smooth");
  }
  p.extractor = f.extractor;
  o.isolator = iso;
  RETURN_IF_ERROR(ValidateIsolatorInputs(iso));
  if (trainer::CanonicalIsolatorName(iso.name).value_or("") == "trainer" &&
      p.energy_sources.size() > 1) {
    return absl::InvalidArgumentError("--isolator=trainer trains one energy source at a time");
  }
  if (f.node_type >= 0) p.node_type = f.node_type;
  if (!f.machine_spec.empty()) {
    ASSIGN_OR_RETURN(p.machine_spec, ReadMachineSpecFile(f.machine_spec));
  }
  p.machine_id = f.machine_id;
  p.use_vm_metrics = f.vm;
  p.seed = f.seed;
  p.threads = f.threads;
  return o;
}

// One line per trained model group: the best model and how many were trained.
void PrintSummary(const TrainOptions& options, const trainer::PipelineReport& report,
                  CommandIo& io) {
  std::map<std::tuple<std::string, int, std::string>, std::pair<const v1::ModelMetrics*, int>> best;
  int trained = 0, skipped = 0;
  for (const v1::ModelMetrics& model : report.models) {
    if (!model.skipped_reason().empty()) {
      ++skipped;
      io.err << "skipped " << model.model_name() << " (" << model.source() << " "
             << core::OutputTypeName(model.output_type()) << " "
             << core::FeatureGroupName(model.feature_group()) << "): " << model.skipped_reason()
             << "\n";
      continue;
    }
    ++trained;
    auto& slot =
        best[{model.source(), model.output_type(), core::FeatureGroupName(model.feature_group())}];
    if (slot.first == nullptr || model.mae() < slot.first->mae()) slot.first = &model;
    ++slot.second;
  }
  for (const std::string& note : report.notes) io.err << "note: " << note << "\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& [key, value] : best) {
    rows.push_back({std::get<0>(key),
                    core::OutputTypeName(static_cast<v1::OutputType>(std::get<1>(key))),
                    std::get<2>(key), absl::StrCat(value.second), value.first->model_name(),
                    FormatFixed(value.first->mae()), FormatFixed(value.first->mape())});
  }
  io.out << "trained " << trained << " models (" << skipped << " skipped) into " << options.output
         << "\n\n"
         << RenderTable({"SOURCE", "TYPE", "GROUP", "MODELS", "BEST", "MAE", "MAPE"}, rows);
}

}  // namespace

int TrainMain(const std::vector<std::string>& args, CommandIo& io) {
  TrainFlags f;
  IsolatorInputs iso;
  FlagSet flags("train", "Train a power-model pipeline from Kepler capture files.", "CAPTURE...");
  flags.set_description(
      "Several captures of one node are merged series by series. Examples:\n"
      "  kepler-model train --output=/models/my_pipeline capture.json\n"
      "  kepler-model train --output=p.zip --trainers=SGDRegressor,XgboostFit \\\n"
      "      --feature-groups=BPFOnly --isolator=profile --idle=idle.json work.json");
  DeclareFlags(flags, f, iso);
  std::vector<std::string> positional;
  if (std::optional<int> done = ParseFlags(flags, args, io, &positional)) return *done;
  absl::StatusOr<TrainOptions> options = ToOptions(f, iso, positional);
  if (!options.ok()) return UsageError(flags, options.status(), io);
  ProgressBar bar(&io.err, WantProgress(flags, f.progress, io));
  absl::StatusOr<trainer::PipelineReport> report = Train(*options, &bar);
  bar.Finish();
  if (!report.ok()) return Finish(flags, report.status(), io);
  PrintSummary(*options, *report, io);
  return kExitOk;
}

}  // namespace kepler::model::tools::cli
