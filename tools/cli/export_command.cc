#include "tools/cli/export_command.h"

#include <unistd.h>

#include <algorithm>
#include <map>

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
#include "tools/cli/export_thresholds.h"
#include "tools/cli/pipeline_models.h"
#include "tools/cli/text_table.h"

namespace kepler::model::tools::cli {
namespace {

std::string JsonString(const std::string& path, const char* key) {
  absl::StatusOr<std::string> text = core::ReadFile(path);
  if (!text.ok()) return "";
  rapidjson::Document doc;
  doc.Parse(text->c_str());
  if (!doc.IsObject() || !doc.HasMember(key) || !doc[key].IsString()) return "";
  return doc[key].GetString();
}

std::string CollectTime(const ExportOptions& options, const server::Pipeline& pipeline) {
  if (!options.collect_time.empty()) return options.collect_time;
  for (const char* source : {"train_arguments.json", "metadata.json"}) {
    std::string time = JsonString(pipeline.path + "/" + source, "collect_time");
    if (!time.empty()) return time;
  }
  return JsonString(pipeline.path + "/metadata.json", "init_time");
}

absl::StatusOr<std::string> PipelineMetadata(const ExportOptions& options,
                                             const server::Pipeline& pipeline) {
  ASSIGN_OR_RETURN(rapidjson::Document doc, core::ParseJson(pipeline.metadata_json));
  if (!doc.IsObject()) return absl::InvalidArgumentError("pipeline metadata.json is not an object");
  auto& a = doc.GetAllocator();
  auto set = [&](const char* key, const std::string& value) {
    doc.RemoveMember(key);
    doc.AddMember(rapidjson::Value(key, a), rapidjson::Value(value.c_str(), a), a);
  };
  set("publisher", options.publisher);
  set("collect_time", CollectTime(options, pipeline));
  set("export_time", absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::Now(), absl::UTCTimeZone()));
  return core::WriteJson(doc, core::JsonWriteOptions::PythonDumps(false));
}

// `<group>/<name>.zip` bytes: the pipeline's archive, or its folder zipped.
absl::StatusOr<std::string> ModelArchive(const PipelineHandle& handle,
                                         const server::ModelEntry& m) {
  if (!m.archive_path.empty()) return core::ReadFile(m.archive_path);
  return core::ZipFolder(handle.ModelDir(m));
}

absl::Status CopyModel(const PipelineHandle& handle, const server::ModelEntry& model,
                       const std::string& group_dir) {
  RETURN_IF_ERROR(core::MakeDirs(group_dir));
  const std::string& name = model.metadata.model_name();
  ASSIGN_OR_RETURN(std::string zip, ModelArchive(handle, model));
  RETURN_IF_ERROR(core::WriteFileAtomic(absl::StrCat(group_dir, "/", name, ".zip"), zip));
  if (!core::IsWeightSupportTrainer(model.trainer)) return absl::OkStatus();
  for (const std::string& path : {absl::StrCat(handle.GroupDir(model), "/", name, ".json"),
                                  absl::StrCat(handle.ModelDir(model), "/weight.json")}) {
    if (!core::FileExists(path)) continue;
    ASSIGN_OR_RETURN(std::string weights, core::ReadFile(path));
    return core::WriteFileAtomic(absl::StrCat(group_dir, "/", name, ".json"), weights);
  }
  return absl::OkStatus();
}

absl::Status WriteCsvs(const std::string& dir, std::vector<const server::ModelEntry*> kept) {
  std::stable_sort(kept.begin(), kept.end(), [](const auto* a, const auto* b) {
    return std::make_tuple(core::FeatureGroupName(a->metadata.feature_group()), a->metadata.mae()) <
           std::make_tuple(core::FeatureGroupName(b->metadata.feature_group()), b->metadata.mae());
  });
  std::map<std::string, std::string> files;
  for (const server::ModelEntry* model : kept) {
    const v1::ModelMetadata& m = model->metadata;
    std::string& csv = files[absl::StrCat(m.source(), "_", core::OutputTypeName(m.output_type()),
                                          "_model_metadata.csv")];
    if (csv.empty()) csv = "model_name,trainer,node_type,feature_group,mae,mape\n";
    absl::StrAppend(&csv, m.model_name(), ",", model->trainer, ",", model->node_type, ",",
                    core::FeatureGroupName(m.feature_group()), ",", m.mae(), ",", m.mape(), "\n");
  }
  for (const auto& [file, csv] : files) {
    RETURN_IF_ERROR(core::WriteFileAtomic(absl::StrCat(dir, "/", file), csv));
  }
  return absl::OkStatus();
}

absl::Status WriteExport(const ExportOptions& options, const PipelineHandle& handle,
                         const std::vector<const server::ModelEntry*>& kept,
                         const std::string& staging) {
  const server::Pipeline& pipeline = handle.pipeline();
  RETURN_IF_ERROR(core::MakeDirs(staging));
  ASSIGN_OR_RETURN(std::string metadata, PipelineMetadata(options, pipeline));
  RETURN_IF_ERROR(core::WriteFileAtomic(staging + "/metadata.json", metadata));
  if (!pipeline.node_types.empty()) {
    RETURN_IF_ERROR(
        core::WriteFileAtomic(staging + "/node_type_index.json", pipeline.node_types.ToJson()));
  }
  for (const server::ModelEntry* model : kept) {
    std::string group = handle.GroupDir(*model).substr(pipeline.path.size());
    RETURN_IF_ERROR(CopyModel(handle, *model, staging + group));
  }
  return WriteCsvs(staging, kept);
}

ExportDecision Decide(const server::ModelEntry& model) {
  const v1::ModelMetadata& m = model.metadata;
  return {m.source(),
          core::OutputTypeName(m.output_type()),
          core::FeatureGroupName(m.feature_group()),
          m.model_name(),
          m.mae(),
          m.mape(),
          ExportRejection(m.mae(), m.mape())};
}

}  // namespace

absl::StatusOr<ExportReport> Export(const ExportOptions& options) {
  ASSIGN_OR_RETURN(auto handle, PipelineHandle::Open(options.pipeline));
  const server::Pipeline& pipeline = handle->pipeline();
  ExportReport report;
  std::vector<const server::ModelEntry*> kept;
  for (const server::ModelEntry* model : SelectModels(pipeline, {})) {
    report.decisions.push_back(Decide(*model));
    if (report.decisions.back().rejection.empty()) kept.push_back(model);
  }
  if (kept.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "none of the ", report.decisions.size(), " models of ", pipeline.name,
        " meets the export thresholds (mae <= 100, mape <= 100, and mape <= 20 or mae <= 10)"));
  }
  std::string root = absl::StrCat(options.output, "/", options.db_version);
  report.path = absl::StrCat(root, "/", pipeline.name);
  std::string staging = absl::StrCat(root, "/.", pipeline.name, ".export-", getpid(), "-",
                                     absl::ToUnixNanos(absl::Now()));
  absl::Status written = WriteExport(options, *handle, kept, staging);
  if (written.ok()) written = core::PublishDirectory(staging, report.path, staging + ".previous");
  (void)core::RemoveAll(staging);
  (void)core::RemoveAll(staging + ".previous");
  RETURN_IF_ERROR(written);
  return report;
}

namespace {

void PrintDecisions(const ExportReport& report, CommandIo& io) {
  std::vector<std::vector<std::string>> rows;
  int kept = 0;
  for (const ExportDecision& d : report.decisions) {
    kept += d.rejection.empty();
    rows.push_back({d.source, d.output_type, d.feature_group, d.model_name, FormatFixed(d.mae),
                    FormatFixed(d.mape),
                    d.rejection.empty() ? "exported" : "dropped: " + d.rejection});
  }
  io.out << RenderTable({"SOURCE", "TYPE", "GROUP", "MODEL", "MAE", "MAPE", "RESULT"}, rows) << "\n"
         << "exported " << kept << " of " << report.decisions.size() << " models to " << report.path
         << "\n";
}

}  // namespace

int ExportMain(const std::vector<std::string>& args, CommandIo& io) {
  ExportOptions options;
  FlagSet flags("export", "Export a pipeline's good models into a model-database layout.",
                "PIPELINE");
  flags.set_description(
      "Keeps models with mae <= 100, mape <= 100, and mape <= 20 or mae <= 10 (contract 7.4).\n"
      "Example:\n  kepler-model export --output=/srv/kepler-model-db/models --publisher=me "
      "/models/my_pipeline");
  flags.String("output", &options.output, "Model database root folder. Required.");
  flags.String("publisher", &options.publisher,
               "Who publishes the models (metadata 'publisher'). Required.");
  flags.String("collect-time", &options.collect_time,
               "When the data was collected, 'YYYY-MM-DD HH:MM:SS' UTC (default: from "
               "train_arguments.json, else the pipeline's init_time).");
  flags.String("db-version", &options.db_version, "Version folder of the database layout.");
  std::vector<std::string> positional;
  if (std::optional<int> done = ParseFlags(flags, args, io, &positional)) return *done;
  absl::Status valid = absl::OkStatus();
  if (positional.size() != 1)
    valid = absl::InvalidArgumentError("expected one PIPELINE argument");
  else if (options.output.empty())
    valid = absl::InvalidArgumentError("--output is required");
  else if (options.publisher.empty())
    valid = absl::InvalidArgumentError("--publisher is required");
  else if (options.db_version.empty() || options.db_version.find('/') != std::string::npos) {
    valid = absl::InvalidArgumentError("--db-version must be one folder name");
  }
  if (!valid.ok()) return UsageError(flags, valid, io);
  options.pipeline = positional[0];
  absl::StatusOr<ExportReport> report = Export(options);
  if (!report.ok()) return Finish(flags, report.status(), io);
  PrintDecisions(*report, io);
  return kExitOk;
}

}  // namespace kepler::model::tools::cli
