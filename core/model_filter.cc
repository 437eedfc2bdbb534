#include "core/model_filter.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/model_metadata.h"

namespace kepler::model::core {
namespace {

constexpr absl::string_view kComponents[] = {"package", "core", "uncore", "dram", "platform"};
constexpr absl::string_view kErrors[] = {"mae", "mape", "mse", "rmse", "mae_val", "mse_val",
                                         "mape_val", "avg_mae", "avg_mape"};

// The numeric attributes model metadata carries: the error metrics, per component too, and the
// feature-correlation score.
bool IsKnownAttribute(absl::string_view name) {
  if (name == "abs_max_corr") return true;
  for (absl::string_view error : kErrors) {
    if (name == error) return true;
    for (absl::string_view component : kComponents) {
      if (name == absl::StrCat(component, "_", error)) return true;
    }
  }
  return false;
}

std::vector<std::string> SplitFeatures(absl::string_view value) {
  std::vector<std::string> features;
  for (absl::string_view item : absl::StrSplit(value, ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) features.emplace_back(item);
  }
  return features;
}

}  // namespace

absl::StatusOr<ModelFilter> ModelFilter::Parse(absl::string_view text) {
  ModelFilter filter;
  for (absl::string_view item : absl::StrSplit(text, ';')) {
    item = absl::StripAsciiWhitespace(item);
    if (item.empty()) continue;
    std::vector<absl::string_view> parts = absl::StrSplit(item, ':');
    if (parts.size() != 2) {
      return absl::InvalidArgumentError(absl::StrCat("filter item '", item, "' is not attr:value"));
    }
    absl::string_view attribute = absl::StripAsciiWhitespace(parts[0]);
    absl::string_view value = absl::StripAsciiWhitespace(parts[1]);
    if (attribute == "features") {
      filter.features_ = SplitFeatures(value);
      continue;
    }
    if (!IsKnownAttribute(attribute)) {
      return absl::InvalidArgumentError(
          absl::StrCat("filter attribute '", attribute, "' is unknown"));
    }
    double threshold = 0;
    if (!absl::SimpleAtod(value, &threshold) || !std::isfinite(threshold)) {
      return absl::InvalidArgumentError(
          absl::StrCat("filter threshold '", value, "' of ", attribute, " is not a number"));
    }
    filter.thresholds_.push_back(
        {std::string(attribute), threshold, attribute == "abs_max_corr"});
  }
  return filter;
}

bool ModelFilter::Accepts(const v1::ModelMetadata& metadata) const {
  for (const Threshold& threshold : thresholds_) {
    auto value = MetadataValue(metadata, threshold.attribute);
    if (!value.has_value()) return false;
    bool ok = threshold.higher_is_better ? *value >= threshold.value : *value <= threshold.value;
    if (!ok) return false;
  }
  if (features_.has_value()) {
    for (const std::string& feature : metadata.features()) {
      if (std::find(features_->begin(), features_->end(), feature) == features_->end()) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace kepler::model::core
