// A model folder's component map: which file predicts each power component, from which features,
// after which feature-engineering files.
//
// What: metadata.json's `model_file` names `<Trainer>_<nt>.json`, which maps each component
// ("package", "dram", ...) to {"model_file", "features", "fe_files"} (contract §3.3); features
// default to metadata's. ReadComponentMap returns the entries in file order.
// Why: the xgboost, scikit-learn and portable loaders all start from this map.
// How: ReadComponentMap(files, metadata).
//
// Thread-safety: stateless.
#ifndef KEPLER_CORE_COMPONENT_MAP_H_
#define KEPLER_CORE_COMPONENT_MAP_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kepler/model/v1/types.pb.h"

namespace kepler::model::core {

// A model folder's files: name (e.g. "metadata.json", "package.json") -> content.
using ModelFiles = std::map<std::string, std::string>;

// One entry of the component map.
struct ComponentSpec {
  std::string name;
  std::string model_file;
  std::vector<std::string> features;
  std::vector<std::string> fe_files;
};

// InvalidArgument when a file is missing or malformed; Unimplemented "unsupported model format"
// when model_file is not a .json component map.
absl::StatusOr<std::vector<ComponentSpec>> ReadComponentMap(const ModelFiles& files,
                                                            const v1::ModelMetadata& metadata);

// The content of `name`, or InvalidArgument "model has no <name>".
absl::StatusOr<const std::string*> ModelFileOf(const ModelFiles& files, const std::string& name);

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_COMPONENT_MAP_H_
