// Trainer names and model names (contract §0.2).
//
// A model is named `<TrainerName>_<node_type>`, e.g. "SGDRegressorTrainer_0". The trainer is the
// text before the first underscore, the node type the integer after the last one. Names are
// compared as parsed values, never as substrings ("_1" must not match "_10").
#ifndef KEPLER_CORE_TRAINER_NAME_H_
#define KEPLER_CORE_TRAINER_NAME_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "kepler/model/v1/types.pb.h"

namespace kepler::model::core {

// The ten trainers: no-weight trainers first, then weight-capable ones (reference order).
const std::vector<v1::TrainerName>& AllTrainers();

// Enum <-> name. Unknown names give nullopt.
absl::optional<v1::TrainerName> ParseTrainerName(absl::string_view name);
std::string TrainerNameString(v1::TrainerName trainer);

// True for the trainers whose weight documents Kepler evaluates in-process: SGDRegressor and
// the three curve fits.
bool IsWeightSupportTrainer(absl::string_view trainer);

// True for the curve-fit trainers (Logarithmic, Logistic, Exponential).
bool IsCurveFitTrainer(absl::string_view trainer);

// A parsed model name.
struct ModelName {
  std::string trainer;  // text before the first '_'
  int node_type = -1;   // integer after the last '_'
};

// Parses "<Trainer>_<node_type>"; nullopt when there is no '_' or the suffix is not an integer.
absl::optional<ModelName> ParseModelName(absl::string_view name);

// "<trainer>_<node_type>".
std::string MakeModelName(absl::string_view trainer, int node_type);

// OK when `name` can name a pipeline folder under the model path: non-empty, at most 128
// characters, only ASCII letters, digits, '_', '-', '+' and '.', not starting with '.', and
// without "..". InvalidArgument naming the problem otherwise.
[[nodiscard]] absl::Status ValidatePipelineName(absl::string_view name);

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_TRAINER_NAME_H_
