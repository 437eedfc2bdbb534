#include "core/sklearn/sklearn_model.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/pickle_scaler.h"
#include "core/sklearn/gradient_boosting_estimator.h"
#include "core/sklearn/knn_estimator.h"
#include "core/sklearn/linear_estimator.h"
#include "core/sklearn/sklearn_pickle.h"
#include "core/sklearn/svr_estimator.h"
#include "core/status_macros.h"

namespace kepler::model::core::sklearn {
namespace {

constexpr char kScalerFile[] = "scaler.pkl";
constexpr char kPolyFile[] = "poly_scaler.pkl";

absl::Status Unsupported(absl::string_view what) {
  return absl::UnimplementedError(absl::StrCat("unsupported model format: ", what));
}

// Prefixes a status with the file it concerns.
absl::Status InFile(absl::string_view file, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(file, ": ", status.message()));
}

absl::StatusOr<SklearnObject> RootObject(const pickle::PickleTree& tree) {
  return SklearnObject::Of(tree.root());
}

// The estimator of one component, with an optional PolynomialFeatures before it.
absl::StatusOr<std::shared_ptr<const Regressor>> BuildRegressor(
    const SklearnObject& object, int n_features, std::optional<PolynomialState> poly) {
  const std::string& name = object.class_name();
  if (poly.has_value()) {
    if (!IsLinearClass(name)) {
      return Unsupported(absl::StrCat("PolynomialFeatures before ", name));
    }
    ASSIGN_OR_RETURN(LinearState linear, ReadLinear(object));
    return MakePolynomialRegressor(*std::move(poly), std::move(linear));
  }
  std::shared_ptr<const Regressor> regressor;
  if (name == kGradientBoostingClass) {
    ASSIGN_OR_RETURN(GradientBoostingParams params, ReadGradientBoosting(object));
    ASSIGN_OR_RETURN(regressor, MakeGradientBoostingRegressor(std::move(params)));
  } else if (name == kKNeighborsClass) {
    ASSIGN_OR_RETURN(KNeighborsState state, ReadKNeighbors(object));
    ASSIGN_OR_RETURN(regressor, MakeExactKNeighborsRegressor(std::move(state)));
  } else if (name == kSvrClass) {
    ASSIGN_OR_RETURN(SvrState state, ReadSvr(object));
    ASSIGN_OR_RETURN(regressor, MakeSvrKernelRegressor(std::move(state)));
  } else if (IsLinearClass(name)) {
    ASSIGN_OR_RETURN(LinearState linear, ReadLinear(object));
    ASSIGN_OR_RETURN(regressor, MakeLinearRegressor(std::move(linear)));
  } else if (IsCurveFitClass(name)) {
    ASSIGN_OR_RETURN(CurveFitState curve, ReadCurveFit(object));
    ASSIGN_OR_RETURN(regressor, MakeCurveFitRegressor(std::move(curve), n_features));
  } else {
    return Unsupported(absl::StrCat("estimator class ", name));
  }
  if (static_cast<int>(regressor->num_features()) != n_features) {
    return absl::InvalidArgumentError(absl::StrCat(object.short_name(), " reads ",
                                                   regressor->num_features(), " features, not ",
                                                   n_features));
  }
  return regressor;
}

// Feature engineering shared by the components: the scaler and the polynomial expansion.
struct FeatureEngineering {
  std::optional<std::vector<double>> scale;
  std::optional<PolynomialState> poly;
};

absl::StatusOr<PolynomialState> ReadPolyFile(const std::string& bytes) {
  ASSIGN_OR_RETURN(auto tree, ParseSklearnPickle(bytes, PickleFile::kPreprocessing));
  ASSIGN_OR_RETURN(SklearnObject object, RootObject(*tree));
  return ReadPolynomialFeatures(object);
}

absl::StatusOr<RegressorComponent> BuildComponent(const ModelFiles& files,
                                                  const ComponentSpec& spec,
                                                  FeatureEngineering* shared) {
  RegressorComponent component{spec.name, nullptr, spec.features, {}};
  std::optional<PolynomialState> poly;
  for (size_t i = 0; i < spec.fe_files.size(); ++i) {
    const std::string& fe = spec.fe_files[i];
    ASSIGN_OR_RETURN(const std::string* bytes, ModelFileOf(files, fe));
    if (fe == kScalerFile && i == 0) {
      if (!shared->scale.has_value()) {
        auto scaler = ReadMaxAbsScalerPickle(*bytes);
        if (!scaler.ok()) return InFile(fe, scaler.status());
        shared->scale = std::move(scaler->scale);
      }
      component.scale = *shared->scale;
    } else if (fe == kPolyFile && i + 1 == spec.fe_files.size()) {
      if (!shared->poly.has_value()) {
        auto parsed = ReadPolyFile(*bytes);
        if (!parsed.ok()) return InFile(fe, parsed.status());
        shared->poly = *std::move(parsed);
      }
      poly = shared->poly;
    } else {
      return Unsupported(absl::StrCat("feature-engineering file ", fe, " at position ", i,
                                      " of component ", spec.name));
    }
  }
  if (poly.has_value() && poly->n_features_in != static_cast<int>(spec.features.size())) {
    return absl::InvalidArgumentError(absl::StrCat(kPolyFile, " expands ", poly->n_features_in,
                                                   " features, component ", spec.name, " has ",
                                                   spec.features.size()));
  }
  if (!absl::EndsWith(spec.model_file, ".pkl")) {
    return Unsupported(absl::StrCat("component file ", spec.model_file, " is not a pickle"));
  }
  ASSIGN_OR_RETURN(const std::string* bytes, ModelFileOf(files, spec.model_file));
  auto tree = ParseSklearnPickle(*bytes);
  if (!tree.ok()) return InFile(spec.model_file, tree.status());
  auto object = RootObject(**tree);
  if (!object.ok()) return InFile(spec.model_file, object.status());
  auto regressor =
      BuildRegressor(*object, static_cast<int>(spec.features.size()), std::move(poly));
  if (!regressor.ok()) return InFile(spec.model_file, regressor.status());
  component.regressor = *std::move(regressor);
  return component;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Regressor>> ReadSklearnRegressor(absl::string_view pickle,
                                                                      int n_features) {
  ASSIGN_OR_RETURN(auto tree, ParseSklearnPickle(pickle));
  ASSIGN_OR_RETURN(SklearnObject object, RootObject(*tree));
  return BuildRegressor(object, n_features, std::nullopt);
}

absl::StatusOr<std::shared_ptr<const Model>> LoadSklearnModel(const ModelFiles& files,
                                                              const v1::ModelMetadata& metadata) {
  ASSIGN_OR_RETURN(std::vector<ComponentSpec> specs, ReadComponentMap(files, metadata));
  FeatureEngineering shared;
  std::vector<RegressorComponent> components;
  for (const ComponentSpec& spec : specs) {
    auto component = BuildComponent(files, spec, &shared);
    if (!component.ok()) {
      return absl::Status(component.status().code(),
                          absl::StrCat(metadata.model_name(), " ", spec.name, ": ",
                                       component.status().message()));
    }
    components.push_back(*std::move(component));
  }
  return MakeRegressorModel(std::move(components));
}

}  // namespace kepler::model::core::sklearn
