// Builds the isolator a training request names (contract §4 step 2, §6).
//
// Names are accepted in both spellings: the offline trainer's class names (MinIdleIsolator,
// NoneIsolator, ProfileBackgroundIsolator, TrainIsolator) and the CLI's (min, none, profile,
// trainer). Profile isolation needs an idle capture (its profiles and background containers);
// trainer isolation needs AbsPower models of an existing pipeline under the model path
// (`abs_pipeline_name`, default the source's published pipeline) and uses the idle capture's
// background containers when given.
#ifndef KEPLER_TRAINER_ISOLATOR_FACTORY_H_
#define KEPLER_TRAINER_ISOLATOR_FACTORY_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "trainer/capture.h"
#include "trainer/isolator.h"

namespace kepler::model::trainer {

struct IsolatorRequest {
  std::string name = "min";
  // isolator_args, e.g. abs_pipeline_name, target_hints, bg_hints (comma lists).
  std::map<std::string, std::string> args;
  // The idle capture; may be null.
  const Capture* idle = nullptr;
  std::string energy_source = "rapl-sysfs";
  // Where TrainIsolator finds AbsPower pipelines.
  std::string model_path;
};

// The isolator, or InvalidArgument naming an unknown isolator or a missing input.
absl::StatusOr<std::unique_ptr<Isolator>> MakeIsolatorFor(const IsolatorRequest& request);

// The CLI spelling of `name` ("min", "none", "profile", "trainer"), or InvalidArgument.
absl::StatusOr<std::string> CanonicalIsolatorName(const std::string& name);

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_ISOLATOR_FACTORY_H_
