#include "tools/cli/inspect_command.h"

#include <algorithm>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/archive.h"
#include "core/energy_source.h"
#include "core/feature_group.h"
#include "core/file_util.h"
#include "core/model_metadata.h"
#include "core/status_macros.h"
#include "rapidjson/document.h"
#include "tools/cli/text_table.h"
#include "tools/cli/training_inputs.h"

namespace kepler::model::tools::cli {
namespace {

std::string MetadataField(const std::string& json, const char* key) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  if (!doc.IsObject() || !doc.HasMember(key) || !doc[key].IsString()) return "-";
  return doc[key].GetString();
}

void PrintHeader(const server::Pipeline& pipeline, size_t shown, std::ostream& out) {
  const std::string& meta = pipeline.metadata_json;
  out << "pipeline " << pipeline.name << ": isolator " << MetadataField(meta, "isolator")
      << ", extractor " << MetadataField(meta, "extractor") << ", updated "
      << MetadataField(meta, "last_update_time") << "\n";
  for (const auto& [number, type] : pipeline.node_types.types()) {
    const core::NodeSpec& spec = type.attrs;
    out << "node type " << number << ": " << spec.processor.value_or("?") << ", "
        << spec.cores.value_or(0) << " cores, " << spec.chips.value_or(0) << " chips, "
        << spec.memory.value_or(0) << " GiB, " << spec.frequency.value_or(0) << " MHz\n";
  }
  out << shown << " of " << pipeline.ModelCount() << " models\n\n";
}

// Components with a "<component>_mae" attribute in any of `models`, in canonical order.
std::vector<std::string> ComponentColumns(const std::vector<const server::ModelEntry*>& models) {
  std::vector<std::string> out;
  for (const std::string& source : core::EnergySources()) {
    for (const std::string& component : core::ComponentsOf(source)) {
      if (std::find(out.begin(), out.end(), component) != out.end()) continue;
      for (const server::ModelEntry* model : models) {
        if (core::MetadataValue(model->metadata, component + "_mae").has_value()) {
          out.push_back(component);
          break;
        }
      }
    }
  }
  return out;
}

std::vector<std::string> Row(const server::ModelEntry& model,
                             const std::vector<std::string>& components) {
  const v1::ModelMetadata& m = model.metadata;
  std::vector<std::string> row = {m.source(),
                                  core::OutputTypeName(m.output_type()),
                                  core::FeatureGroupName(m.feature_group()),
                                  m.model_name(),
                                  absl::StrCat(model.node_type),
                                  FormatFixed(m.mae()),
                                  FormatFixed(m.mape())};
  for (const std::string& component : components) {
    auto value = core::MetadataValue(m, component + "_mae");
    row.push_back(value ? FormatFixed(*value) : "-");
  }
  return row;
}

void SortModels(const std::string& key, std::vector<const server::ModelEntry*>& models) {
  if (key == "name") return;
  std::stable_sort(models.begin(), models.end(), [&](const auto* a, const auto* b) {
    return key == "mae" ? a->metadata.mae() < b->metadata.mae()
                        : a->metadata.mape() < b->metadata.mape();
  });
}

// metadata.json of a model archive or folder (one naming a model_name), or nullopt when `path`
// is something else (a pipeline, whose metadata names the pipeline instead).
std::optional<std::string> ModelMetadataAt(const std::string& path) {
  absl::StatusOr<std::string> text = absl::NotFoundError("");
  if (core::IsDirectory(path)) {
    text = core::ReadFile(path + "/metadata.json");
  } else if (auto entries = core::ReadZipFile(path, core::ArchiveLimits()); entries.ok()) {
    for (const core::ArchiveEntry& entry : *entries) {
      if (entry.name == "metadata.json") text = entry.data;
    }
  }
  if (!text.ok() || MetadataField(*text, "model_name") == "-") return std::nullopt;
  return *text;
}

// One model: what it is, what it reads and predicts, and how it is evaluated (or why not).
absl::Status InspectModel(const std::string& path, const std::string& metadata_json,
                          std::ostream& out) {
  ASSIGN_OR_RETURN(v1::ModelMetadata metadata, core::ParseModelMetadata(metadata_json));
  out << "model " << metadata.model_name() << ": model_class " << metadata.model_class()
      << ", " << core::OutputTypeName(metadata.output_type()) << ", mae "
      << FormatFixed(metadata.mae()) << ", mape " << FormatFixed(metadata.mape()) << "\n";
  auto model = LoadModelPath(path, "");
  if (!model.ok()) {
    return absl::Status(model.status().code(),
                        absl::StrCat("cannot be evaluated: ", model.status().message()));
  }
  out << "evaluated as " << (*model)->family() << "\n"
      << "features: " << absl::StrJoin((*model)->features(), ", ") << "\n"
      << "components: " << absl::StrJoin((*model)->components(), ", ") << "\n";
  return absl::OkStatus();
}

}  // namespace

absl::Status Inspect(const InspectOptions& options, std::ostream& out) {
  if (std::optional<std::string> metadata = ModelMetadataAt(options.pipeline)) {
    return InspectModel(options.pipeline, *metadata, out);
  }
  ASSIGN_OR_RETURN(auto handle, PipelineHandle::Open(options.pipeline));
  std::vector<const server::ModelEntry*> models = SelectModels(handle->pipeline(), options.filter);
  SortModels(options.sort, models);
  std::vector<std::string> components = ComponentColumns(models);
  std::vector<std::string> header = {"SOURCE", "TYPE", "GROUP", "MODEL", "NODE", "MAE", "MAPE"};
  for (const std::string& component : components) {
    header.push_back(absl::AsciiStrToUpper(component) + "_MAE");
  }
  std::vector<std::vector<std::string>> rows;
  for (const server::ModelEntry* model : models) rows.push_back(Row(*model, components));
  if (options.format == "csv") {
    for (std::string& name : header) name = absl::AsciiStrToLower(name);
    out << absl::StrJoin(header, ",") << "\n";
    for (const auto& row : rows) out << absl::StrJoin(row, ",") << "\n";
    return absl::OkStatus();
  }
  PrintHeader(handle->pipeline(), models.size(), out);
  out << RenderTable(header, rows);
  return absl::OkStatus();
}

namespace {

absl::Status ValidateInspect(const InspectOptions& options, size_t positional) {
  if (positional != 1) return absl::InvalidArgumentError("expected one PIPELINE or MODEL argument");
  if (options.sort != "name" && options.sort != "mae" && options.sort != "mape") {
    return absl::InvalidArgumentError("--sort must be name, mae or mape");
  }
  if (options.format != "table" && options.format != "csv") {
    return absl::InvalidArgumentError("--format must be table or csv");
  }
  return absl::OkStatus();
}

}  // namespace

int InspectMain(const std::vector<std::string>& args, CommandIo& io) {
  InspectOptions options;
  ModelFilterFlags filter;
  FlagSet flags("inspect", "Show a pipeline's models and their errors as a table, or one model.",
                "PIPELINE|MODEL");
  flags.set_description(
      "PIPELINE is a pipeline folder or zip; MODEL a model archive or folder (its metadata, how\n"
      "it is evaluated, its features and components). Examples:\n"
      "  kepler-model inspect --sort=mae --feature-group=BPFOnly /models/my_pipeline\n"
      "  kepler-model inspect GradientBoostingRegressorTrainer_0.zip");
  flags.String("sort", &options.sort, "Row order: name (pipeline order), mae or mape.");
  flags.String("format", &options.format, "Output: table or csv.");
  flags.String("source", &filter.source, "Only this energy source.");
  flags.String("output-type", &filter.output_type, "Only AbsPower or DynPower.");
  flags.String("feature-group", &filter.feature_group, "Only this feature group.");
  flags.String("trainer", &filter.trainer, "Only this trainer (e.g. SGDRegressorTrainer).");
  std::vector<std::string> positional;
  if (std::optional<int> done = ParseFlags(flags, args, io, &positional)) return *done;
  absl::StatusOr<ModelFilter> parsed = ParseModelFilter(filter);
  absl::Status valid = parsed.ok() ? ValidateInspect(options, positional.size()) : parsed.status();
  if (!valid.ok()) return UsageError(flags, valid, io);
  options.filter = *parsed;
  options.pipeline = positional[0];
  return Finish(flags, Inspect(options, io.out), io);
}

}  // namespace kepler::model::tools::cli
