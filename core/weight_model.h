// Models evaluated from weight documents (core/weight_document.h): linear and curve-fit.
//
// What: a linear model predicts, per component, Bias_Weight + sum_f weight_f * x_f / scale_f
// (contract §2.6; x=(100, 1) on the documented example gives 100.84 W). A curve-fit model reads
// one feature per component, x = value / scale, and applies the trainer's curve:
// logarithmic a*ln(b*x+1)+c, exponential a*e^(b*x)+c, logistic A/(1+e^(-k*(x-x0)))+off.
// Why: these are the weight-capable trainers whose documents Kepler evaluates itself; the
// estimator evaluates the same documents so that both agree.
// How: features() is every feature named in Numerical_Variables, in document order (the
// reference selects all of them); a feature a component does not list, or whose scale is 0,
// contributes nothing (as in Kepler). The curve-fit feature of a component is the feature group's
// main feature, or its dram feature for "dram" (FeatureGroups::MainFeatureIndex); the group is
// given, or inferred from the document's feature names when FEATURE_GROUP_UNSPECIFIED.
//
// Thread-safety: the returned models are immutable; Predict may run concurrently.
#ifndef KEPLER_CORE_WEIGHT_MODEL_H_
#define KEPLER_CORE_WEIGHT_MODEL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "core/model.h"
#include "kepler/model/v1/types.pb.h"

namespace kepler::model::core {

// The curve families of the curve-fit trainers.
enum class CurveKind { kLogarithmic, kExponential, kLogistic };

// The curve of a curve-fit trainer name ("LogisticRegressionTrainer"); nullopt for others.
absl::optional<CurveKind> CurveKindOf(absl::string_view trainer);

// Builds a linear model. InvalidArgument when `doc` has no component, a component carries
// CurveFit_Weights, or feature names and variables differ in length.
[[nodiscard]] absl::StatusOr<std::shared_ptr<const Model>> MakeLinearWeightModel(const v1::WeightDocument& doc);

// Builds a curve-fit model. InvalidArgument when `doc` has no component, a component has the
// wrong number of CurveFit_Weights (3; logistic 4), the group is unknown or cannot be inferred,
// or a component lacks the group's main (or dram) feature.
[[nodiscard]] absl::StatusOr<std::shared_ptr<const Model>> MakeCurveFitWeightModel(
    const v1::WeightDocument& doc, CurveKind kind, v1::FeatureGroup group);

// The feature group whose feature list is exactly `features` (in any order). NotFound otherwise.
[[nodiscard]] absl::StatusOr<v1::FeatureGroup> InferFeatureGroup(const std::vector<std::string>& features);

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_WEIGHT_MODEL_H_
