// A model's metadata.json (contract §3.3) as the typed v1::ModelMetadata.
//
// Published databases carry extra numeric fields (mse, mae_val, abs_max_corr, <component>_mae,
// ...); every numeric field other than the named ones lands in `attributes`, so filters and the
// error key can name any of them. Unknown non-numeric fields are ignored.
#ifndef KEPLER_CORE_MODEL_METADATA_H_
#define KEPLER_CORE_MODEL_METADATA_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "kepler/model/v1/types.pb.h"

namespace kepler::model::core {

// Parses metadata.json text. InvalidArgument when it is not a JSON object, or when a named field
// has the wrong type (model_name not a string, features not a list of strings, ...).
// Missing mae/mape are left unset in `attributes` terms: HasMetric() tells.
absl::StatusOr<v1::ModelMetadata> ParseModelMetadata(absl::string_view json_text);

// The value of a numeric metadata attribute by its JSON key ("mae", "mape", "node_type",
// "package_mae", "abs_max_corr", ...); nullopt when the model does not have it.
absl::optional<double> MetadataValue(const v1::ModelMetadata& metadata, absl::string_view key);

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_MODEL_METADATA_H_
