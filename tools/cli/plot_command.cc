#include "tools/cli/plot_command.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "core/energy_source.h"
#include "core/feature_group.h"
#include "core/file_util.h"
#include "core/status_macros.h"
#include "rapidjson/document.h"
#include "tools/cli/plot_data.h"
#include "tools/cli/svg_chart.h"
#include "tools/cli/text_table.h"
#include "tools/cli/training_inputs.h"
#include "trainer/extractor.h"

namespace kepler::model::tools::cli {
namespace {

using TableKey = std::tuple<std::string, int, int>;  // source, output type, group

std::string MetadataString(const std::string& json, const char* key, const std::string& fallback) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  if (!doc.IsObject() || !doc.HasMember(key) || !doc[key].IsString()) return fallback;
  return doc[key].GetString();
}

// Builds (once per source, output type and group) the table the pipeline's models were fit on.
class TableCache {
 public:
  TableCache(const trainer::Capture& capture, const trainer::Extractor& extractor,
             const IsolatorInputs& isolator)
      : capture_(capture), extractor_(extractor), isolator_(isolator) {}

  const absl::StatusOr<trainer::FeatureTable>& Get(const v1::ModelMetadata& m) {
    TableKey key{m.source(), m.output_type(), m.feature_group()};
    auto it = tables_.find(key);
    if (it == tables_.end()) it = tables_.emplace(key, Build(m)).first;
    return it->second;
  }

 private:
  absl::StatusOr<trainer::FeatureTable> Build(const v1::ModelMetadata& m) {
    trainer::ExtractOptions extract;
    extract.energy_source = m.source();
    extract.feature_group = m.feature_group();
    extract.node_level = m.output_type() == v1::AbsPower;
    ASSIGN_OR_RETURN(trainer::FeatureTable table, extractor_.Extract(capture_, extract));
    if (extract.node_level) return table;
    auto it = isolators_.find(m.source());
    if (it == isolators_.end())
      it = isolators_.emplace(m.source(), MakeCliIsolator(isolator_, m.source())).first;
    if (!it->second.ok()) return it->second.status();
    return it->second->isolator->Isolate(table, m.source());
  }

  const trainer::Capture& capture_;
  const trainer::Extractor& extractor_;
  const IsolatorInputs& isolator_;
  std::map<TableKey, absl::StatusOr<trainer::FeatureTable>> tables_;
  std::map<std::string, absl::StatusOr<CliIsolator>> isolators_;  // by source
};

std::string ModelLabel(const v1::ModelMetadata& m) {
  return absl::StrCat(m.source(), "/", core::OutputTypeName(m.output_type()), "/",
                      core::FeatureGroupName(m.feature_group()), "/", m.model_name());
}

Chart CurveChart(const std::string& label, const ModelPlotData& data) {
  Chart chart;
  chart.title = absl::StrCat(label, ": power curve");
  chart.x_label = data.main_feature + " (per second; other features at their medians)";
  chart.y_label = "power (W)";
  for (size_t c = 0; c < data.components.size(); ++c) {
    const ComponentPlot& plot = data.components[c];
    const char* color = kPalette[c % std::size(kPalette)];
    ChartSeries curve{plot.component + " model", color, ChartSeries::kLine, {}};
    for (size_t i = 0; i < data.curve_x.size(); ++i)
      curve.points.push_back({data.curve_x[i], plot.curve[i]});
    chart.series.push_back(std::move(curve));
    if (plot.measured.empty()) continue;
    ChartSeries measured{plot.component + " measured", color, ChartSeries::kMarkers, {}};
    for (size_t r = 0; r < plot.measured.size(); ++r)
      measured.points.push_back({data.main_values[r], plot.measured[r]});
    chart.series.push_back(std::move(measured));
  }
  return chart;
}

Chart ScatterChart(const std::string& label, const ModelPlotData& data) {
  Chart chart;
  chart.title = absl::StrCat(label, ": predicted vs measured");
  chart.x_label = "measured power (W)";
  chart.y_label = "predicted power (W)";
  chart.diagonal = true;
  for (size_t c = 0; c < data.components.size(); ++c) {
    const ComponentPlot& plot = data.components[c];
    if (plot.measured.empty()) continue;
    ChartSeries series{absl::StrCat(plot.component, " (mae ", FormatFixed(plot.mae), " W)"),
                       kPalette[c % std::size(kPalette)],
                       ChartSeries::kMarkers,
                       {}};
    for (size_t r = 0; r < plot.measured.size(); ++r)
      series.points.push_back({plot.measured[r], plot.predicted[r]});
    chart.series.push_back(std::move(series));
  }
  return chart;
}

absl::Status PlotModel(const PipelineHandle& handle, const server::ModelEntry& entry,
                       const trainer::FeatureTable& table, const std::string& dir,
                       PlotResult* result) {
  const v1::ModelMetadata& m = entry.metadata;
  ASSIGN_OR_RETURN(std::shared_ptr<const core::Model> model, LoadEntryModel(handle, entry));
  ASSIGN_OR_RETURN(ModelPlotData data, ComputePlotData(*model, table, m.feature_group()));
  result->rows = table.num_rows();
  result->mae = 0;
  for (const ComponentPlot& plot : data.components) {
    if (std::isfinite(plot.mae)) result->mae = std::max(result->mae, plot.mae);
  }
  std::string stem = absl::StrCat(m.source(), "_", core::OutputTypeName(m.output_type()), "_",
                                  core::FeatureGroupName(m.feature_group()), "_", m.model_name());
  for (const auto& [suffix, chart] :
       {std::make_pair("_curve.svg", CurveChart(result->model, data)),
        std::make_pair("_scatter.svg", ScatterChart(result->model, data))}) {
    std::string file = stem + suffix;
    RETURN_IF_ERROR(core::WriteFileAtomic(dir + "/" + file, RenderSvg(chart)));
    result->files.push_back(file);
  }
  return absl::OkStatus();
}

std::string IndexHtml(const std::string& pipeline, const std::vector<PlotResult>& results) {
  std::string html = absl::StrCat("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>",
                                  XmlEscape(pipeline), "</title></head><body>\n<h1>",
                                  XmlEscape(pipeline), "</h1>\n");
  for (const PlotResult& r : results) {
    absl::StrAppend(&html, "<h2>", XmlEscape(r.model), "</h2>\n");
    if (!r.error.empty()) absl::StrAppend(&html, "<p>not plotted: ", XmlEscape(r.error), "</p>\n");
    for (const std::string& file : r.files)
      absl::StrAppend(&html, "<img src=\"", XmlEscape(file), "\">\n");
  }
  return html + "</body></html>\n";
}

}  // namespace

absl::StatusOr<std::vector<PlotResult>> Plot(const PlotOptions& options, ProgressBar* progress) {
  ASSIGN_OR_RETURN(auto handle, PipelineHandle::Open(options.pipeline));
  const server::Pipeline& pipeline = handle->pipeline();
  std::vector<const server::ModelEntry*> models = SelectModels(pipeline, options.filter);
  if (models.empty())
    return absl::NotFoundError(absl::StrCat(options.pipeline, " has no model matching the filter"));
  if (progress) progress->Update(0, 0, "reading captures");
  ASSIGN_OR_RETURN(trainer::Capture capture, LoadCaptures(options.captures));
  std::string extractor_name = options.extractor.empty()
                                   ? MetadataString(pipeline.metadata_json, "extractor", "default")
                                   : options.extractor;
  ASSIGN_OR_RETURN(std::unique_ptr<trainer::Extractor> extractor,
                   trainer::MakeExtractor(extractor_name));
  IsolatorInputs isolator = options.isolator;
  if (isolator.name.empty())
    isolator.name = MetadataString(pipeline.metadata_json, "isolator", "min");
  RETURN_IF_ERROR(core::MakeDirs(options.output_dir));
  TableCache tables(capture, *extractor, isolator);
  std::vector<PlotResult> results;
  int plotted = 0;
  for (size_t i = 0; i < models.size(); ++i) {
    PlotResult result;
    result.model = ModelLabel(models[i]->metadata);
    if (progress) progress->Update(i, models.size(), absl::StrCat("plot ", result.model));
    const auto& table = tables.Get(models[i]->metadata);
    absl::Status status = table.ok()
                              ? PlotModel(*handle, *models[i], *table, options.output_dir, &result)
                              : table.status();
    if (!status.ok()) result.error = std::string(status.message());
    plotted += status.ok();
    results.push_back(std::move(result));
  }
  if (progress) progress->Update(models.size(), models.size(), "done");
  RETURN_IF_ERROR(
      core::WriteFileAtomic(options.output_dir + "/index.html", IndexHtml(pipeline.name, results)));
  if (plotted == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("no model could be plotted: ", results.front().error));
  }
  return results;
}

namespace {

void PrintResults(const std::vector<PlotResult>& results, const std::string& dir, CommandIo& io) {
  std::vector<std::vector<std::string>> rows;
  for (const PlotResult& r : results) {
    rows.push_back(
        {r.model, r.error.empty() ? absl::StrCat(r.rows) : "-",
         r.error.empty() ? FormatFixed(r.mae) : "-",
         r.error.empty() ? absl::StrCat(r.files.size(), " files") : "not plotted: " + r.error});
  }
  io.out << RenderTable({"MODEL", "ROWS", "MAE", "RESULT"}, rows) << "\nopen " << dir
         << "/index.html to see them all\n";
}

}  // namespace

int PlotMain(const std::vector<std::string>& args, CommandIo& io) {
  PlotOptions options;
  options.isolator.name = "";
  ModelFilterFlags filter;
  bool progress = false;
  FlagSet flags("plot",
                "Draw SVG power curves and predicted-vs-measured plots of a pipeline's models.",
                "PIPELINE");
  flags.set_description(
      "Example:\n  kepler-model plot --capture=run.json --output-dir=/tmp/plots "
      "--feature-group=BPFOnly /models/my_pipeline");
  flags.List("capture", &options.captures, "Capture file(s) to evaluate the models on. Required.");
  flags.String("output-dir", &options.output_dir,
               "Folder for the SVG files and index.html. Required.");
  flags.String("source", &filter.source, "Only this energy source.");
  flags.String("output-type", &filter.output_type, "Only AbsPower or DynPower.");
  flags.String("feature-group", &filter.feature_group, "Only this feature group.");
  flags.String("trainer", &filter.trainer, "Only this trainer.");
  flags.String("model", &filter.model_name, "Only this model name (e.g. SGDRegressorTrainer_0).");
  flags.String("extractor", &options.extractor, "Extractor (default: the pipeline's).");
  flags.String("isolator", &options.isolator.name, "DynPower isolator (default: the pipeline's).");
  flags.String("idle", &options.isolator.idle_path, "Idle capture for the profile isolator.");
  flags.String("abs-pipeline", &options.isolator.abs_pipeline,
               "AbsPower pipeline for the trainer isolator.");
  flags.Bool("progress", &progress,
             "Draw a progress bar on stderr (default: when it is a terminal).");
  std::vector<std::string> positional;
  if (std::optional<int> done = ParseFlags(flags, args, io, &positional)) return *done;
  absl::StatusOr<ModelFilter> parsed = ParseModelFilter(filter);
  absl::Status valid = parsed.status();
  if (valid.ok() && positional.size() != 1)
    valid = absl::InvalidArgumentError("expected one PIPELINE argument");
  if (valid.ok() && options.captures.empty())
    valid = absl::InvalidArgumentError("--capture is required");
  if (valid.ok() && options.output_dir.empty())
    valid = absl::InvalidArgumentError("--output-dir is required");
  if (!valid.ok()) return UsageError(flags, valid, io);
  options.pipeline = positional[0];
  options.filter = *parsed;
  ProgressBar bar(&io.err, WantProgress(flags, progress, io));
  absl::StatusOr<std::vector<PlotResult>> results = Plot(options, &bar);
  bar.Finish();
  if (!results.ok()) return Finish(flags, results.status(), io);
  PrintResults(*results, options.output_dir, io);
  return kExitOk;
}

}  // namespace kepler::model::tools::cli
