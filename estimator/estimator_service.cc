#include "estimator/estimator_service.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/energy_source.h"
#include "core/status_macros.h"

namespace kepler::model::estimator {
namespace {

absl::StatusOr<AcquireRequest> ToAcquireRequest(const v1::EstimateRequest& request) {
  if (request.output_type() != v1::AbsPower && request.output_type() != v1::DynPower) {
    return absl::InvalidArgumentError("output_type must be AbsPower or DynPower");
  }
  AcquireRequest acquire;
  acquire.source = core::NormalizeSource(request.source());
  if (!core::IsKnownSource(acquire.source)) {
    return absl::InvalidArgumentError(absl::StrCat("source '", request.source(), "' is not supported"));
  }
  acquire.output_type = request.output_type();
  acquire.features.assign(request.metrics().begin(), request.metrics().end());
  acquire.features.insert(acquire.features.end(), request.system_features().begin(),
                          request.system_features().end());
  std::sort(acquire.features.begin(), acquire.features.end());
  acquire.features.erase(std::unique(acquire.features.begin(), acquire.features.end()),
                         acquire.features.end());
  acquire.trainer_name = request.trainer_name();
  acquire.filter = request.filter();
  return acquire;
}

std::string CacheKey(const AcquireRequest& request) {
  return absl::StrCat(request.source, "|", core::OutputTypeName(request.output_type), "|",
                      absl::StrJoin(request.features, ","), "|", request.trainer_name, "|",
                      request.filter);
}

absl::Status CheckFinite(double value, int row, const std::string& column) {
  if (std::isfinite(value)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("row ", row, " column ", column, " is not finite"));
}

// Metrics, then system features broadcast, as one row-major table. A system value that is not a
// number (Kepler sends cpu_architecture "Sky Lake") is left out: only a model that reads it fails.
absl::StatusOr<core::FeatureTable> BuildTable(const v1::EstimateRequest& request) {
  if (request.system_values_size() < request.system_features_size()) {
    return absl::InvalidArgumentError("system_values must give one value per system feature");
  }
  core::FeatureTable table;
  table.columns.assign(request.metrics().begin(), request.metrics().end());
  std::vector<double> system;
  for (int i = 0; i < request.system_features_size(); ++i) {
    double value = 0;
    if (!absl::SimpleAtod(request.system_values(i), &value)) continue;
    RETURN_IF_ERROR(CheckFinite(value, 0, request.system_features(i)));
    table.columns.push_back(request.system_features(i));
    system.push_back(value);
  }
  size_t width = static_cast<size_t>(request.metrics_size());
  table.values.reserve(request.values_size() * table.columns.size());
  for (int r = 0; r < request.values_size(); ++r) {
    const auto& row = request.values(r).values();
    if (static_cast<size_t>(row.size()) != width) {
      return absl::InvalidArgumentError(
          absl::StrCat("row ", r, " has ", row.size(), " values for ", width, " metrics"));
    }
    for (size_t c = 0; c < width; ++c) RETURN_IF_ERROR(CheckFinite(row[c], r, table.columns[c]));
    table.values.insert(table.values.end(), row.begin(), row.end());
    table.values.insert(table.values.end(), system.begin(), system.end());
  }
  return table;
}

absl::Status CheckFeatures(const core::Model& model, const core::FeatureTable& table) {
  for (const std::string& feature : model.features()) {
    if (std::find(table.columns.begin(), table.columns.end(), feature) == table.columns.end()) {
      return absl::InvalidArgumentError(absl::StrCat("feature ", feature, " has no numeric value"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::EstimateResponse> EstimatorService::EstimatePower(
    const v1::EstimateRequest& request) {
  ASSIGN_OR_RETURN(AcquireRequest acquire, ToAcquireRequest(request));
  ASSIGN_OR_RETURN(core::FeatureTable table, BuildTable(request));
  std::string key = CacheKey(acquire);
  ASSIGN_OR_RETURN(auto cached, cache_->GetOrLoad(key, [&] { return acquirer_->Acquire(acquire); }));
  RETURN_IF_ERROR(CheckFeatures(*cached->model, table));
  auto powers = cached->model->Predict(table);
  if (!powers.ok()) {
    cache_->Evict(key, powers.status());
    return absl::InternalError(absl::StrCat(cached->metadata.model_name(), " failed to predict: ",
                                            powers.status().message()));
  }
  v1::EstimateResponse response;
  const auto& components = cached->model->components();
  for (size_t c = 0; c < components.size(); ++c) {
    v1::ComponentPower* power = response.add_powers();
    power->set_component(components[c]);
    power->mutable_watts()->Add((*powers)[c].begin(), (*powers)[c].end());
  }
  response.set_core_ratio(cached->core_ratio);
  response.set_model_name(cached->metadata.model_name());
  return response;
}

}  // namespace kepler::model::estimator
