// The pipeline-level files (contract §3.2): metadata.json, node_type_index.json and one
// `<source>_<OutputType>_model_metadata.csv` per source and output type with models.
#ifndef KEPLER_TRAINER_PIPELINE_METADATA_H_
#define KEPLER_TRAINER_PIPELINE_METADATA_H_

#include <string>

#include "absl/status/status.h"
#include "core/node_type.h"
#include "trainer/pipeline.h"

namespace kepler::model::trainer {

// metadata.json: name, isolator, extractor, abs_trainers and dyn_trainers (each name once, unlike
// the reference, §11.21), metric_type, init_time and last_update_time ("YYYY-MM-DD HH:MM:SS" UTC).
std::string PipelineMetadataJson(const PipelineOptions& options);

// Writes metadata.json, node_type_index.json (when `index` has types) and the model CSVs into
// the staging folder `dir` (in place, no fsync: core::WriteStagedFile).
absl::Status WritePipelineFiles(const std::string& dir, const PipelineOptions& options,
                                const core::NodeTypeIndex& index, const PipelineReport& report);

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_PIPELINE_METADATA_H_
