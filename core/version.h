// Version of this service and of the reference contract it keeps compatible with.
#ifndef KEPLER_CORE_VERSION_H_
#define KEPLER_CORE_VERSION_H_

#include "absl/strings/string_view.h"

namespace kepler::model::core {

// This implementation's version.
inline constexpr absl::string_view kVersion = "0.1.0";
// The reference kepler-model-server version whose names and URLs we keep (contract preamble).
inline constexpr absl::string_view kReferenceVersion = "0.7.11";
// Default pipeline this project's trainers write.
inline constexpr absl::string_view kDefaultTrainPipeline = "std_v0.7.11";
// Published model database root.
inline constexpr absl::string_view kBaseModelUrl =
    "https://raw.githubusercontent.com/sustainable-computing-io/kepler-model-db/main/models/v0.7";

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_VERSION_H_
