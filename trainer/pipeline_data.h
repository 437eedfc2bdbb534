// The data the training pipeline fits (contract §7.1–7.2): extracted tables per (energy source,
// feature group, output type), and per node type the scaled train/test matrices of every
// component.
//
// What: ExtractDatasets runs the extractor (node level for AbsPower; container level then the
// isolator for DynPower) for every requested source × valid feature group × output type that has
// trainers; PrepareSlice fits the node type's MaxAbs scaler on all its rows, splits the rows
// 90/10 with the seed and scales each component's X.
// Why: the pipeline and the parity tools (trainer/capture_parity_dump.cc) must see exactly the
// same matrices and split, so both call these functions.
// How:
//   std::vector<Dataset> data = ExtractDatasets(capture, *isolator, options, node_type, &notes);
//   for (const Dataset& d : data)
//     for (int type : NodeTypesOf(d.table)) Slice s = PrepareSlice(d, type, options.seed);
// Extraction runs one (source, group) per task on PipelineOptions::threads threads; tables come
// out in a fixed order (source, then group, then AbsPower before DynPower) whatever the thread
// count.
//
// Thread-safety: pure functions over immutable inputs.
#ifndef KEPLER_TRAINER_PIPELINE_DATA_H_
#define KEPLER_TRAINER_PIPELINE_DATA_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "kepler/model/v1/types.pb.h"
#include "trainer/capture.h"
#include "trainer/feature_table.h"
#include "trainer/isolator.h"
#include "trainer/pipeline.h"
#include "trainer/scaler.h"
#include "trainer/split.h"
#include "trainer/training_data.h"

namespace kepler::model::trainer {

// One extracted table: a (source, feature group, output type).
struct Dataset {
  std::string source;
  v1::FeatureGroup group = v1::FEATURE_GROUP_UNSPECIFIED;
  v1::OutputType type = v1::AbsPower;
  FeatureTable table;
};

// One node type of a dataset, scaled and split, shared by every trainer of the dataset.
struct Slice {
  const Dataset* dataset = nullptr;  // not owned
  int node_type = 0;
  // Rows of dataset->table with this node type, and the split as positions into `rows`.
  std::vector<size_t> rows;
  RowSplit split;
  std::optional<MaxAbsScaler> scaler;
  std::vector<std::string> components;
  std::vector<ComponentData> train, test;  // per component, X scaled
  // Not OK when the slice cannot be trained (too few rows, a missing column); every trainer of
  // the slice is then skipped with this reason.
  absl::Status status;
};

// The tables of `options` (energy_sources × valid feature_groups × output types with trainers).
// A table that cannot be extracted is left out with a note "<source> <type> <group>: <why>".
std::vector<Dataset> ExtractDatasets(const Capture& capture, const Isolator& isolator,
                                     const PipelineOptions& options, std::optional<int> node_type,
                                     std::vector<std::string>* notes);

// Node type `node_type` of `data`, scaled and split with `seed`. `data` must outlive the slice.
Slice PrepareSlice(const Dataset& data, int node_type, uint64_t seed);

// Column of the slice's X that the curve-fit families read for `component`: the group's main
// (or, for dram, dram) feature; 0 when the group has none.
int MainFeatureIndex(const Slice& slice, absl::string_view component);

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_PIPELINE_DATA_H_
