// Gradient-boosted tree models (XgboostFitTrainer) from xgboost's JSON model files.
//
// What: one xgboost forest per component, each reading its own feature columns, optionally
// divided by a MaxAbsScaler scale first (the published archives' `scaler.pkl`, contract §1.7).
// Why: xgboost is the most common family in the published model databases and the reference's
// default for acpi; its native JSON model files can be evaluated without Python.
// How: MakeXgboostModel parses each component's JSON (as in the archives' `<component>.json`)
// into a core::XgboostForest, which predicts what xgboost's CPU predictor predicts without
// libxgboost (core/xgboost_forest.h), and assembles them with core/regressor_model.h.
// Other xgboost formats (UBJSON, the legacy binary) are refused: published databases and this
// project's trainer write JSON.
//
// Thread-safety: the model is immutable and Predict may be called concurrently.
#ifndef KEPLER_CORE_XGBOOST_MODEL_H_
#define KEPLER_CORE_XGBOOST_MODEL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/model.h"
#include "core/regressor_model.h"

namespace kepler::model::core {

// What MakeXgboostModel needs for one component.
struct XgboostComponent {
  // Component name, e.g. "package".
  std::string name;
  // The booster, e.g. the content of `package.json` in a published archive.
  std::string model_bytes;
  // The booster's input features, in its column order.
  std::vector<std::string> features;
  // Divisors applied to `features` before predicting (MaxAbsScaler); empty: none.
  std::vector<double> scale;
};

// Builds the model; its features() are the union of the components' features in first-seen
// order. InvalidArgument (naming the component) when there is no component, a model does not
// parse, its feature count differs from `features`, or `scale` is neither empty nor one positive
// value per feature.
[[nodiscard]] absl::StatusOr<std::shared_ptr<const Model>> MakeXgboostModel(
    std::vector<XgboostComponent> components);

// One forest as a core::Regressor (raw predictions, not clamped), for components of portable
// models (core/portable_regressor.h) and for trainer metrics. InvalidArgument when the JSON does
// not describe a supported xgboost model.
absl::StatusOr<std::shared_ptr<const Regressor>> MakeXgboostRegressor(
    const std::string& model_bytes);

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_XGBOOST_MODEL_H_
