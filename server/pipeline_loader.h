// Reads pipeline folders from disk into Snapshot parts (contract §3.2–3.3).
//
// A pipeline is a folder holding metadata.json; its models live in
// <source>/<OutputType>/<FeatureGroup>/ as an unpacked folder `<name>/` (the reference's layout
// after download), a `<name>.zip` archive, or both, with weight documents in `<name>/weight.json`
// or beside the zip as `<name>.json` (the model database's layout). Both layouts load unchanged:
// a model's metadata comes from its folder or, failing that, from inside its archive.
//
// Unknown sources, output types and feature groups, `checkpoint/` folders and names that are not
// `<Trainer>_<node_type>` are skipped; a model whose files are unreadable is skipped and logged;
// only a pipeline whose own metadata.json or node_type_index.json is broken fails as a whole.
#ifndef KEPLER_SERVER_PIPELINE_LOADER_H_
#define KEPLER_SERVER_PIPELINE_LOADER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/snapshot.h"

namespace kepler::model::server {

// Loads the pipeline in folder `path`, named after the folder.
absl::StatusOr<Pipeline> LoadPipeline(const std::string& path);

// Loads every pipeline folder directly under `model_path` (hidden folders, such as in-progress
// downloads, are skipped). A broken pipeline is logged and left out; the rest load.
// `errors`, when given, receives one line per pipeline left out, and `failed` its name.
std::vector<Pipeline> LoadPipelines(const std::string& model_path,
                                    std::vector<std::string>* errors = nullptr,
                                    std::vector<std::string>* failed = nullptr);

}  // namespace kepler::model::server

#endif  // KEPLER_SERVER_PIPELINE_LOADER_H_
