// Gradient-boosted tree models (XgboostFitTrainer) evaluated with libxgboost.
//
// What: one xgboost booster per component, each reading its own feature columns, optionally
// divided by a MaxAbsScaler scale first (the published archives' `scaler.pkl`, contract §1.7).
// Why: xgboost is the most common family in the published model databases and the reference's
// default for acpi; its native JSON model files can be evaluated without Python.
// How: MakeXgboostModel loads each component's model text (xgboost JSON, as in the archives'
// `<component>.json`, or any format XGBoosterLoadModelFromBuffer reads), checks its feature
// count, and runs one prediction to fail early on a broken model. Boosters predict with one
// thread (requests are already spread over cores) and in float32, as xgboost does.
//
// Thread-safety: the model is immutable and Predict may be called concurrently. libxgboost does
// not document its C prediction API as thread-safe, so each booster serialises its own
// predictions with a mutex; different components and models still run in parallel.
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
// order. InvalidArgument when there is no component, a booster does not load, its feature
// count differs from `features`, or `scale` is neither empty nor one positive value per feature.
[[nodiscard]] absl::StatusOr<std::shared_ptr<const Model>> MakeXgboostModel(
    std::vector<XgboostComponent> components);

// One booster as a core::Regressor (raw float32 predictions, not clamped), for components of
// portable models (core/portable_regressor.h) and for trainer metrics. InvalidArgument when the
// booster does not load or cannot predict a row of zeros.
absl::StatusOr<std::shared_ptr<const Regressor>> MakeXgboostRegressor(
    const std::string& model_bytes);

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_XGBOOST_MODEL_H_
