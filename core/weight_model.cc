#include "core/weight_model.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "Eigen/Core"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/feature_group.h"
#include "core/status_macros.h"

namespace kepler::model::core {
namespace {

using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMatrixMap = Eigen::Map<const RowMajorMatrix>;

absl::Status Invalid(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("weight model: ", what));
}

// Every feature of the document, in first-seen order, and the component names.
absl::Status CollectNames(const v1::WeightDocument& doc, std::vector<std::string>* features,
                          std::vector<std::string>* components) {
  if (doc.components_size() == 0) return Invalid("the weight document has no component");
  for (const v1::ComponentWeights& c : doc.components()) {
    if (c.feature_names_size() != c.numerical_variables_size()) {
      return Invalid(absl::StrCat(c.component(), ": feature names and variables differ"));
    }
    components->push_back(c.component());
    for (const std::string& name : c.feature_names()) {
      if (std::find(features->begin(), features->end(), name) == features->end()) {
        features->push_back(name);
      }
    }
  }
  return absl::OkStatus();
}

int IndexOf(const std::vector<std::string>& names, absl::string_view name) {
  auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

class LinearWeightModel final : public Model {
 public:
  struct Component {
    double bias = 0;
    Eigen::RowVectorXd scale;  // 1 where the document has no usable scale
    Eigen::VectorXd weight;    // 0 where the feature is unlisted or its scale is 0
  };

  LinearWeightModel(std::vector<std::string> features, std::vector<std::string> components,
                    std::vector<Component> weights)
      : Model(std::move(features), std::move(components)), weights_(std::move(weights)) {}

  absl::string_view family() const override { return "linear-weights"; }

 protected:
  // Divides by the scale before weighting, as the reference and Kepler do, so results match
  // theirs to the last bits rather than through a folded weight/scale.
  absl::StatusOr<ComponentPowers> Evaluate(const double* x, size_t rows) const override {
    const ConstMatrixMap X(x, rows, features().size());
    ComponentPowers out;
    for (const Component& c : weights_) {
      const Eigen::VectorXd y =
          ((X.array().rowwise() / c.scale.array()).matrix() * c.weight).array() + c.bias;
      out.emplace_back(y.data(), y.data() + y.size());
    }
    return out;
  }

 private:
  const std::vector<Component> weights_;
};

class CurveFitWeightModel final : public Model {
 public:
  struct Component {
    int feature = 0;  // column of x
    double scale = 1;
    std::vector<double> params;
  };

  CurveFitWeightModel(std::vector<std::string> features, std::vector<std::string> components,
                      CurveKind kind, std::vector<Component> curves)
      : Model(std::move(features), std::move(components)), kind_(kind), curves_(std::move(curves)) {}

  absl::string_view family() const override { return "curvefit-weights"; }

 protected:
  absl::StatusOr<ComponentPowers> Evaluate(const double* x, size_t rows) const override {
    const ConstMatrixMap X(x, rows, features().size());
    ComponentPowers out;
    for (const Component& c : curves_) {
      const Eigen::ArrayXd v = X.col(c.feature).array() / c.scale;
      const Eigen::ArrayXd y = Curve(v, c.params);
      out.emplace_back(y.data(), y.data() + y.size());
    }
    return out;
  }

 private:
  Eigen::ArrayXd Curve(const Eigen::ArrayXd& x, const std::vector<double>& p) const {
    switch (kind_) {
      case CurveKind::kLogarithmic: return p[0] * (p[1] * x + 1.0).log() + p[2];
      case CurveKind::kExponential: return p[0] * (p[1] * x).exp() + p[2];
      case CurveKind::kLogistic: return p[0] / (1.0 + (-p[2] * (x - p[1])).exp()) + p[3];
    }
    return x;
  }

  const CurveKind kind_;
  const std::vector<Component> curves_;
};

LinearWeightModel::Component LinearComponent(const v1::ComponentWeights& c,
                                             const std::vector<std::string>& features) {
  LinearWeightModel::Component out;
  out.bias = c.bias_weight();
  out.scale = Eigen::RowVectorXd::Ones(features.size());
  out.weight = Eigen::VectorXd::Zero(features.size());
  for (int i = 0; i < c.feature_names_size(); ++i) {
    const v1::NumericalVariable& var = c.numerical_variables(i);
    if (var.scale() == 0) continue;  // Kepler reads x = 0 for such a feature
    const int f = IndexOf(features, c.feature_names(i));
    out.scale[f] = var.scale();
    out.weight[f] = var.weight();
  }
  return out;
}

absl::StatusOr<CurveFitWeightModel::Component> CurveComponent(
    const v1::ComponentWeights& c, CurveKind kind, v1::FeatureGroup group,
    const std::vector<std::string>& features) {
  const size_t needed = kind == CurveKind::kLogistic ? 4 : 3;
  if (static_cast<size_t>(c.curve_fit_weights_size()) != needed) {
    return Invalid(absl::StrCat(c.component(), ": expected ", needed, " CurveFit_Weights, got ",
                                c.curve_fit_weights_size()));
  }
  const FeatureGroups& groups = FeatureGroups::Default();
  const int main = groups.MainFeatureIndex(group, c.component());
  if (main < 0) return Invalid(absl::StrCat("unknown feature group ", FeatureGroupName(group)));
  const std::string& name = groups.FeaturesOf(group)[main];
  const int local = IndexOf({c.feature_names().begin(), c.feature_names().end()}, name);
  if (local < 0) return Invalid(absl::StrCat(c.component(), ": no scale for feature ", name));
  CurveFitWeightModel::Component out;
  out.feature = IndexOf(features, name);
  out.scale = c.numerical_variables(local).scale();
  if (out.scale == 0) out.scale = 1;  // MaxAbsScaler's convention for an all-zero column
  out.params.assign(c.curve_fit_weights().begin(), c.curve_fit_weights().end());
  return out;
}

}  // namespace

absl::optional<CurveKind> CurveKindOf(absl::string_view trainer) {
  if (trainer == "LogarithmicRegressionTrainer") return CurveKind::kLogarithmic;
  if (trainer == "ExponentialRegressionTrainer") return CurveKind::kExponential;
  if (trainer == "LogisticRegressionTrainer") return CurveKind::kLogistic;
  return absl::nullopt;
}

absl::StatusOr<v1::FeatureGroup> InferFeatureGroup(const std::vector<std::string>& features) {
  std::vector<std::string> sorted = features;
  std::sort(sorted.begin(), sorted.end());
  const FeatureGroups& groups = FeatureGroups::Default();
  for (v1::FeatureGroup group : groups.Groups()) {
    if (groups.FeaturesOf(group) == sorted) return group;
  }
  return absl::NotFoundError(absl::StrCat("no feature group has exactly the features ",
                                          absl::StrJoin(features, ", ")));
}

absl::StatusOr<std::shared_ptr<const Model>> MakeLinearWeightModel(const v1::WeightDocument& doc) {
  std::vector<std::string> features, components;
  RETURN_IF_ERROR(CollectNames(doc, &features, &components));
  std::vector<LinearWeightModel::Component> weights;
  for (const v1::ComponentWeights& c : doc.components()) {
    if (c.curve_fit_weights_size() > 0) {
      return Invalid(absl::StrCat(c.component(), ": linear weights with CurveFit_Weights"));
    }
    weights.push_back(LinearComponent(c, features));
  }
  return std::make_shared<const LinearWeightModel>(std::move(features), std::move(components),
                                                   std::move(weights));
}

absl::StatusOr<std::shared_ptr<const Model>> MakeCurveFitWeightModel(const v1::WeightDocument& doc,
                                                                     CurveKind kind,
                                                                     v1::FeatureGroup group) {
  std::vector<std::string> features, components;
  RETURN_IF_ERROR(CollectNames(doc, &features, &components));
  if (group == v1::FEATURE_GROUP_UNSPECIFIED) {
    auto inferred = InferFeatureGroup(features);
    if (!inferred.ok()) return Invalid(inferred.status().message());
    group = *inferred;
  }
  std::vector<CurveFitWeightModel::Component> curves;
  for (const v1::ComponentWeights& c : doc.components()) {
    ASSIGN_OR_RETURN(auto curve, CurveComponent(c, kind, group, features));
    curves.push_back(std::move(curve));
  }
  return std::make_shared<const CurveFitWeightModel>(std::move(features), std::move(components),
                                                     kind, std::move(curves));
}

}  // namespace kepler::model::core
