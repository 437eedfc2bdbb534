#include "tools/cli/estimate_command.h"

#include <algorithm>
#include <charconv>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/energy_source.h"
#include "core/feature_group.h"
#include "core/file_util.h"
#include "core/status_macros.h"
#include "tools/cli/csv_table.h"

namespace kepler::model::tools::cli {
namespace {

constexpr const char* kPassThrough[] = {"timestamp", "id"};

bool HasAll(const CsvTable& table, const google::protobuf::RepeatedPtrField<std::string>& names) {
  return std::all_of(names.begin(), names.end(),
                     [&](const std::string& name) { return table.Column(name) >= 0; });
}

std::string Describe(const server::ModelEntry& model) {
  const v1::ModelMetadata& m = model.metadata;
  return absl::StrCat(m.source(), "/", core::OutputTypeName(m.output_type()), "/",
                      core::FeatureGroupName(m.feature_group()), "/", m.model_name(), " (mae ",
                      m.mae(), ")");
}

// The lowest-mae model of the pipeline that matches the filter and whose features `rows` has.
absl::StatusOr<std::shared_ptr<const core::Model>> PickFromPipeline(const EstimateOptions& options,
                                                                    const CsvTable& rows,
                                                                    std::ostream& log) {
  ASSIGN_OR_RETURN(auto handle, PipelineHandle::Open(options.pipeline));
  std::vector<const server::ModelEntry*> matching =
      SelectModels(handle->pipeline(), options.filter);
  if (matching.empty()) {
    return absl::NotFoundError(
        absl::StrCat(options.pipeline, " has no model of ", options.filter.source, " ",
                     core::OutputTypeName(*options.filter.output_type), " matching the filter"));
  }
  std::vector<const server::ModelEntry*> usable;
  for (const server::ModelEntry* model : matching) {
    if (HasAll(rows, model->metadata.features())) usable.push_back(model);
  }
  if (usable.empty()) {
    const auto& wanted = LowestMae(matching)->metadata.features();
    return absl::InvalidArgumentError(absl::StrCat("no model's features are all in the CSV; e.g. ",
                                                   LowestMae(matching)->metadata.model_name(),
                                                   " reads ", absl::StrJoin(wanted, ",")));
  }
  // A model whose files cannot be evaluated (a class outside the whitelist): take the next best.
  std::stable_sort(usable.begin(), usable.end(), [](const auto* a, const auto* b) {
    return a->metadata.mae() < b->metadata.mae();
  });
  absl::Status first_error = absl::OkStatus();
  for (const server::ModelEntry* model : usable) {
    auto loaded = LoadEntryModel(*handle, *model);
    if (loaded.ok()) {
      log << "using " << Describe(*model) << "\n";
      return loaded;
    }
    if (loaded.status().code() != absl::StatusCode::kUnimplemented) return loaded.status();
    log << "skipping " << model->metadata.model_name() << ": " << loaded.status().message() << "\n";
    if (first_error.ok()) first_error = loaded.status();
  }
  return first_error;
}

void AppendNumber(std::string* out, double value) {
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof(buf), value);
  out->append(buf, result.ptr);
}

std::string WattsCsv(const CsvTable& rows, const core::Model& model,
                     const core::ComponentPowers& watts) {
  std::vector<int> kept;
  std::vector<std::string> header;
  for (const char* name : kPassThrough) {
    if (rows.Column(name) < 0) continue;
    kept.push_back(rows.Column(name));
    header.push_back(name);
  }
  for (const std::string& component : model.components()) header.push_back(component + "_power");
  std::string out = absl::StrJoin(header, ",") + "\n";
  for (size_t r = 0; r < rows.rows.size(); ++r) {
    std::vector<std::string> cells;
    for (int column : kept) cells.push_back(CsvField(rows.rows[r][column]));
    out += absl::StrJoin(cells, ",");
    for (size_t c = 0; c < watts.size(); ++c) {
      if (c > 0 || !cells.empty()) out += ",";
      AppendNumber(&out, watts[c][r]);
    }
    out += "\n";
  }
  return out;
}

}  // namespace

absl::Status Estimate(const EstimateOptions& options, std::ostream& out, std::ostream& log) {
  ASSIGN_OR_RETURN(std::string text, core::ReadFile(options.input));
  absl::StatusOr<CsvTable> rows = ParseCsv(text);
  if (!rows.ok())
    return absl::InvalidArgumentError(absl::StrCat(options.input, ": ", rows.status().message()));
  std::shared_ptr<const core::Model> model;
  if (!options.model.empty()) {
    ASSIGN_OR_RETURN(model, LoadModelPath(options.model, ""));
  } else {
    ASSIGN_OR_RETURN(model, PickFromPipeline(options, *rows, log));
  }
  core::FeatureTable table;
  table.columns = model->features();
  absl::StatusOr<std::vector<double>> values = NumericColumns(*rows, table.columns);
  if (!values.ok())
    return absl::InvalidArgumentError(absl::StrCat(options.input, ": ", values.status().message()));
  table.values = *std::move(values);
  ASSIGN_OR_RETURN(core::ComponentPowers watts, model->Predict(table));
  std::string csv = WattsCsv(*rows, *model, watts);
  if (options.output.empty()) {
    out << csv;
    return absl::OkStatus();
  }
  return core::WriteFileAtomic(options.output, csv);
}

int EstimateMain(const std::vector<std::string>& args, CommandIo& io) {
  EstimateOptions options;
  ModelFilterFlags filter{"rapl-sysfs", "AbsPower"};
  FlagSet flags("estimate", "Estimate watts per component for rows of metric values.",
                "METRICS_CSV");
  flags.set_description(
      "METRICS_CSV has a header of metric names and one row per sample. Examples:\n"
      "  kepler-model estimate --model=SGDRegressorTrainer_0.zip rows.csv\n"
      "  kepler-model estimate --pipeline=/models/p --output-type=DynPower --output=watts.csv "
      "rows.csv");
  flags.String("model", &options.model, "A model archive (.zip) or unpacked model folder.");
  flags.String("pipeline", &options.pipeline, "A pipeline folder or zip to pick the model from.");
  flags.String("source", &filter.source, "Pipeline: energy source.");
  flags.String("output-type", &filter.output_type, "Pipeline: AbsPower or DynPower.");
  flags.String("feature-group", &filter.feature_group,
               "Pipeline: feature group (default: any whose features the CSV has).");
  flags.String("trainer", &filter.trainer, "Pipeline: only this trainer.");
  flags.Int("node-type", &filter.node_type, "Pipeline: only models of this node type (-1: any).");
  flags.String("output", &options.output, "Output CSV path (default: stdout).");
  std::vector<std::string> positional;
  if (std::optional<int> done = ParseFlags(flags, args, io, &positional)) return *done;
  absl::StatusOr<ModelFilter> parsed = ParseModelFilter(filter);
  absl::Status valid = parsed.status();
  if (valid.ok() && positional.size() != 1)
    valid = absl::InvalidArgumentError("expected one METRICS_CSV");
  if (valid.ok() && options.model.empty() == options.pipeline.empty()) {
    valid = absl::InvalidArgumentError("give exactly one of --model and --pipeline");
  }
  if (!valid.ok()) return UsageError(flags, valid, io);
  options.filter = *parsed;
  options.input = positional[0];
  return Finish(flags, Estimate(options, io.out, io.err), io);
}

}  // namespace kepler::model::tools::cli
