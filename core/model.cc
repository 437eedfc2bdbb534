#include "core/model.h"

#include <cmath>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace kepler::model::core {

Model::Model(std::vector<std::string> features, std::vector<std::string> components)
    : features_(std::move(features)), components_(std::move(components)) {}

absl::StatusOr<ComponentPowers> Model::Predict(const FeatureTable& table) const {
  ASSIGN_OR_RETURN(std::vector<double> x, SelectFeatures(table));
  const size_t rows = table.rows();
  if (rows == 0) return ComponentPowers(components_.size());
  ASSIGN_OR_RETURN(ComponentPowers powers, Evaluate(x.data(), rows));
  RETURN_IF_ERROR(Finish(rows, &powers));
  return powers;
}

absl::StatusOr<std::vector<double>> Model::SelectFeatures(const FeatureTable& table) const {
  const size_t width = table.columns.size();
  if ((width == 0 && !table.values.empty()) || (width > 0 && table.values.size() % width != 0)) {
    return absl::InvalidArgumentError(absl::StrCat("feature table has ", table.values.size(),
                                                   " values for ", width, " columns"));
  }
  absl::flat_hash_map<absl::string_view, size_t> column_of;
  for (size_t c = 0; c < width; ++c) column_of.emplace(table.columns[c], c);  // first wins
  std::vector<size_t> source;
  for (const std::string& feature : features_) {
    auto it = column_of.find(feature);
    if (it == column_of.end()) {
      return absl::InvalidArgumentError(absl::StrCat("missing feature ", feature, " (", family(),
                                                     " model)"));
    }
    source.push_back(it->second);
  }
  const size_t rows = table.rows();
  std::vector<double> x(rows * source.size());
  for (size_t r = 0; r < rows; ++r) {
    for (size_t f = 0; f < source.size(); ++f) {
      const double v = table.values[r * width + source[f]];
      if (!std::isfinite(v)) {
        return absl::InvalidArgumentError(
            absl::StrCat("feature ", features_[f], " row ", r, " is not a finite number"));
      }
      x[r * source.size() + f] = v;
    }
  }
  return x;
}

absl::Status Model::Finish(size_t rows, ComponentPowers* powers) const {
  if (powers->size() != components_.size()) {
    return absl::InternalError(absl::StrCat(family(), " model returned ", powers->size(),
                                            " components, expected ", components_.size()));
  }
  for (size_t c = 0; c < powers->size(); ++c) {
    std::vector<double>& watts = (*powers)[c];
    if (watts.size() != rows) {
      return absl::InternalError(absl::StrCat(family(), " model returned ", watts.size(),
                                              " rows for ", components_[c]));
    }
    for (double& w : watts) {
      if (std::isnan(w) || w == HUGE_VAL) {
        return absl::InvalidArgumentError(absl::StrCat(
            family(), " model predicted a non-finite power for component ", components_[c]));
      }
      if (w < 0) w = 0;
    }
  }
  return absl::OkStatus();
}

}  // namespace kepler::model::core
