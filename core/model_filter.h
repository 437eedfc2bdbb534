// Metadata filters of model requests (contract §2.4), with the reference's defect fixed.
//
// Syntax: `attr:threshold` items separated by `;`, e.g. "mae:10; abs_max_corr:0.5". A model
// passes when, for every item, its metadata has the attribute and the value is at most the
// threshold (errors: lower is better), or at least it for `abs_max_corr` (correlation: higher is
// better). `features:a,b` passes models whose features are all among a, b. (The reference tests
// existence with hasattr() on a dict, so any filter rejects every model.)
#ifndef KEPLER_CORE_MODEL_FILTER_H_
#define KEPLER_CORE_MODEL_FILTER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kepler/model/v1/types.pb.h"

namespace kepler::model::core {

class ModelFilter {
 public:
  // The filter that passes every model.
  ModelFilter() = default;

  // Parses `text`; empty items are ignored. InvalidArgument naming the item when it is not
  // `attr:value`, names an attribute no model metadata carries, or has a threshold that is not a
  // finite number.
  static absl::StatusOr<ModelFilter> Parse(absl::string_view text);

  // True when `metadata` passes every item.
  bool Accepts(const v1::ModelMetadata& metadata) const;

  bool empty() const { return thresholds_.empty() && !features_.has_value(); }

 private:
  struct Threshold {
    std::string attribute;
    double value = 0;
    bool higher_is_better = false;
  };
  std::vector<Threshold> thresholds_;
  std::optional<std::vector<std::string>> features_;
};

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_MODEL_FILTER_H_
