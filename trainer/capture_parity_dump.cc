// Development tool: the training pipeline's data and results on a capture, for
// tools/parity/capture_parity.py to fit the reference libraries on the same split (issue 6,
// README "Trainer parity on generated captures").
//
//   bazel run -c opt //trainer:capture_parity_dump -- --capture=/tmp/c2h.json --out_dir=/tmp/cp
//
// Trains the whole pipeline (TrainPipeline: every valid feature group, the sources and trainers
// given, the min isolator, seed 0) into <out_dir>/pipeline, then writes, from the same
// functions the pipeline calls (trainer/pipeline_data.h):
//   <out_dir>/data/<source>_<type>_<group>_<node type>_<component>.csv: one line per row of the
//       node type in the pipeline's order: part (train/test), table row, the scaled features,
//       y (watts);
//   <out_dir>/manifest.csv: file,source,output_type,group,node_type,component,
//       main_feature_index,features (';'-separated);
//   <out_dir>/cpp_mae.csv: source,output_type,group,model,component,mae,skipped (the pipeline's
//       own test MAE per component, unrounded).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "core/energy_source.h"
#include "core/feature_group.h"
#include "core/file_util.h"
#include "core/trainer_name.h"
#include "trainer/capture.h"
#include "trainer/isolator.h"
#include "trainer/pipeline.h"
#include "trainer/pipeline_data.h"
#include "trainer/training_data.h"

ABSL_FLAG(std::string, capture, "", "Capture file (JSON). Required.");
ABSL_FLAG(std::string, out_dir, "/tmp/capture_parity", "Folder for the CSV files.");
ABSL_FLAG(std::string, sources, "rapl-sysfs,acpi", "Energy sources, comma-separated.");
ABSL_FLAG(std::string, trainers, "", "Trainers, comma-separated (default: all ten).");

namespace kepler::model::trainer {
namespace {

std::string Num(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  return buffer;
}

PipelineOptions Options() {
  PipelineOptions options;
  options.energy_sources = absl::StrSplit(absl::GetFlag(FLAGS_sources), ',', absl::SkipEmpty());
  options.abs_trainers = core::AllTrainers();
  if (!absl::GetFlag(FLAGS_trainers).empty()) {
    options.abs_trainers.clear();
    for (absl::string_view name : absl::StrSplit(absl::GetFlag(FLAGS_trainers), ',')) {
      if (auto trainer = core::ParseTrainerName(name)) options.abs_trainers.push_back(*trainer);
    }
  }
  options.dyn_trainers = options.abs_trainers;
  return options;
}

std::string DatasetName(const Dataset& data, int node_type) {
  return absl::StrCat(data.source, "_", core::OutputTypeName(data.type), "_",
                      core::FeatureGroupName(data.group), "_", node_type);
}

void WritePart(std::ofstream& out, const char* part, const std::vector<size_t>& rows,
               const std::vector<int>& positions, const ComponentData& data) {
  for (Eigen::Index r = 0; r < data.x.rows(); ++r) {
    out << part << "," << rows[positions[r]];
    for (Eigen::Index c = 0; c < data.x.cols(); ++c) out << "," << Num(data.x(r, c));
    out << "," << Num(data.y[r]) << "\n";
  }
}

// One CSV per component of the slice, and its manifest lines.
void WriteSlice(const std::string& dir, const Slice& slice, std::ofstream& manifest) {
  const Dataset& data = *slice.dataset;
  const std::vector<std::string>& features = data.table.feature_columns;
  for (size_t c = 0; c < slice.train.size(); ++c) {
    const std::string file =
        absl::StrCat("data/", DatasetName(data, slice.node_type), "_", slice.components[c], ".csv");
    std::ofstream out(absl::StrCat(dir, "/", file));
    out << "part,row," << absl::StrJoin(features, ",") << ",y\n";
    WritePart(out, "train", slice.rows, slice.split.train, slice.train[c]);
    WritePart(out, "test", slice.rows, slice.split.test, slice.test[c]);
    manifest << file << "," << data.source << "," << core::OutputTypeName(data.type) << ","
             << core::FeatureGroupName(data.group) << "," << slice.node_type << ","
             << slice.components[c] << "," << MainFeatureIndex(slice, slice.components[c]) << ","
             << absl::StrJoin(features, ";") << "\n";
  }
}

void WriteMetrics(const std::string& path, const PipelineReport& report) {
  std::ofstream out(path);
  out << "source,output_type,group,model,component,mae,skipped\n";
  for (const v1::ModelMetrics& model : report.models) {
    const std::string prefix = absl::StrCat(
        model.source(), ",", core::OutputTypeName(model.output_type()), ",",
        core::FeatureGroupName(model.feature_group()), ",", model.model_name(), ",");
    if (!model.skipped_reason().empty()) {
      out << prefix << ",," << absl::StrReplaceAll(model.skipped_reason(), {{",", ";"}}) << "\n";
      continue;
    }
    for (const auto& [component, mae] : model.component_mae()) {
      out << prefix << component << "," << Num(mae) << ",\n";
    }
  }
}

int Run() {
  const std::string dir = absl::GetFlag(FLAGS_out_dir);
  auto capture = Capture::ReadFile(absl::GetFlag(FLAGS_capture));
  if (!capture.ok() || !core::MakeDirs(dir + "/data").ok()) {
    std::cerr << "capture_parity_dump: " << capture.status() << "\n";
    return 1;
  }
  const PipelineOptions options = Options();
  std::unique_ptr<Isolator> isolator = MakeMinIsolator();
  auto report = TrainPipeline(*capture, *isolator, options, dir + "/pipeline");
  if (!report.ok()) {
    std::cerr << "capture_parity_dump: " << report.status() << "\n";
    return 1;
  }
  WriteMetrics(dir + "/cpp_mae.csv", *report);
  std::vector<std::string> notes;
  std::vector<Dataset> datasets = ExtractDatasets(*capture, *isolator, options, std::nullopt, &notes);
  std::ofstream manifest(dir + "/manifest.csv");
  manifest << "file,source,output_type,group,node_type,component,main_feature_index,features\n";
  for (const Dataset& data : datasets) {
    for (int node_type : NodeTypesOf(data.table)) {
      Slice slice = PrepareSlice(data, node_type, options.seed);
      if (slice.status.ok()) WriteSlice(dir, slice, manifest);
    }
  }
  std::cerr << "wrote " << report->models.size() << " models' metrics and the data of "
            << datasets.size() << " tables to " << dir << "\n";
  return 0;
}

}  // namespace
}  // namespace kepler::model::trainer

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return kepler::model::trainer::Run();
}
