// A Model assembled from one single-output regressor per power component.
//
// What: `Regressor` is one fitted function of a fixed number of (already scaled) inputs, e.g. a
// gradient-boosted tree ensemble, a k-nearest-neighbours table or an RBF support-vector machine.
// MakeRegressorModel combines one regressor per component, each reading its own named feature
// columns divided by its own MaxAbsScaler scales, into a core::Model.
// Why: the portable-JSON families this project's trainers write (core/gradient_boosting_model.h,
// core/knn_model.h, core/svr_model.h) all share this shape (contract §3.3: a component map naming,
// per component, a model file, its features and the scaler), so column selection, scaling and
// the Model's checks live here once. Trainers call the same Regressor for their test metrics, so
// the trainer and the estimator evaluate a model identically.
// How: build each Regressor with its family's factory, wrap it in RegressorComponent, call
// MakeRegressorModel. Regressor::Predict cannot fail: factories validate everything up front.
//
// Thread-safety: Regressors and the models built from them are immutable; Predict may run
// concurrently from many threads.
#ifndef KEPLER_CORE_REGRESSOR_MODEL_H_
#define KEPLER_CORE_REGRESSOR_MODEL_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/model.h"

namespace kepler::model::core {

// One fitted single-output function of num_features() inputs.
class Regressor {
 public:
  virtual ~Regressor() = default;

  // Number of input columns Predict reads per row.
  virtual size_t num_features() const = 0;
  // Short family name for logs and errors, e.g. "gradient-boosting".
  virtual absl::string_view family() const = 0;
  // Writes one prediction per row of the row-major `x` (`rows` x num_features(), finite values)
  // to out[0..rows). Predictions are raw: not clamped.
  virtual void Predict(const double* x, size_t rows, double* out) const = 0;
};

// One component of a RegressorModel.
struct RegressorComponent {
  // Component name, e.g. "package".
  std::string name;
  // The component's function; not null.
  std::shared_ptr<const Regressor> regressor;
  // Its input feature names, in the regressor's column order (one per regressor input).
  std::vector<std::string> features;
  // Divisors applied to `features` before predicting (MaxAbsScaler scale_); empty: none.
  std::vector<double> scale;
};

// Builds the model; features() is the union of the components' features in first-seen order and
// family() is the first regressor's family. InvalidArgument when there is no component, a
// regressor is null, its input count differs from `features`, or `scale` is neither empty nor
// one positive finite value per feature.
absl::StatusOr<std::shared_ptr<const Model>> MakeRegressorModel(
    std::vector<RegressorComponent> components);

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_REGRESSOR_MODEL_H_
