#include "core/model_loader.h"

#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/feature_group.h"
#include "core/json_util.h"
#include "core/model_metadata.h"
#include "core/pickle_scaler.h"
#include "core/sklearn/sklearn_model.h"
#include "core/status_macros.h"
#include "core/trainer_name.h"
#include "core/weight_document.h"
#include "core/weight_model.h"
#include "core/xgboost_model.h"

namespace kepler::model::core {
namespace {

constexpr char kMetadataFile[] = "metadata.json";
constexpr char kWeightFile[] = "weight.json";
constexpr char kScalerFile[] = "scaler.pkl";

absl::Status Unsupported(absl::string_view what) {
  return absl::UnimplementedError(absl::StrCat("unsupported model format: ", what));
}

// The scales of `spec`'s features from weight.json, the fallback when scaler.pkl is unreadable.
absl::StatusOr<std::vector<double>> WeightDocumentScale(const ModelSource& source,
                                                        const ComponentSpec& spec) {
  ASSIGN_OR_RETURN(const std::string* text, ModelFileOf(source.files, kWeightFile));
  ASSIGN_OR_RETURN(v1::WeightDocument doc, ParseWeightDocument(*text));
  for (const v1::ComponentWeights& c : doc.components()) {
    if (c.component() != spec.name) continue;
    std::vector<double> scale;
    for (const std::string& feature : spec.features) {
      int i = 0;
      while (i < c.feature_names_size() && c.feature_names(i) != feature) ++i;
      if (i == c.feature_names_size()) break;
      scale.push_back(c.numerical_variables(i).scale());
    }
    if (scale.size() == spec.features.size()) return scale;
  }
  return absl::NotFoundError(absl::StrCat(kWeightFile, " has no scales for ", spec.name));
}

// scaler.pkl's scale_, or weight.json's scales when the pickle is missing or unreadable.
absl::StatusOr<std::vector<double>> MaxAbsScaleOf(const ModelSource& source,
                                                  const ComponentSpec& spec) {
  auto it = source.files.find(kScalerFile);
  absl::StatusOr<MaxAbsScale> scaler =
      it == source.files.end()
          ? absl::StatusOr<MaxAbsScale>(absl::InvalidArgumentError("model has no scaler.pkl"))
          : ReadMaxAbsScalerPickle(it->second);
  if (scaler.ok()) return std::move(scaler->scale);
  auto fallback = WeightDocumentScale(source, spec);
  if (fallback.ok()) return fallback;
  return scaler.status();
}

// Applies `spec.fe_files`: only the MaxAbsScaler is portable.
absl::StatusOr<std::vector<double>> ComponentScale(const ModelSource& source,
                                                   const ComponentSpec& spec) {
  std::vector<double> scale;
  for (const std::string& fe : spec.fe_files) {
    if (fe != kScalerFile) return Unsupported(absl::StrCat("feature-engineering file ", fe));
    ASSIGN_OR_RETURN(scale, MaxAbsScaleOf(source, spec));
  }
  return scale;
}

absl::StatusOr<std::shared_ptr<const Model>> LoadXgboost(const ModelSource& source) {
  ASSIGN_OR_RETURN(std::vector<ComponentSpec> specs, ReadComponentMap(source.files, source.metadata));
  std::vector<XgboostComponent> components;
  for (ComponentSpec& spec : specs) {
    if (absl::EndsWith(spec.model_file, ".pkl")) {
      return Unsupported(absl::StrCat("pickled xgboost estimator ", spec.model_file));
    }
    ASSIGN_OR_RETURN(const std::string* bytes, ModelFileOf(source.files, spec.model_file));
    ASSIGN_OR_RETURN(std::vector<double> scale, ComponentScale(source, spec));
    components.push_back({spec.name, *bytes, std::move(spec.features), std::move(scale)});
  }
  return MakeXgboostModel(std::move(components));
}

// Pickled scikit-learn estimators and curve fits (core/sklearn/sklearn_model.h).
absl::StatusOr<std::shared_ptr<const Model>> LoadPickled(const ModelSource& source) {
  return sklearn::LoadSklearnModel(source.files, source.metadata);
}

bool IsPickledClass(absl::string_view model_class) {
  return model_class == "scikit" || model_class == "curvefit";
}

// XgboostFitTrainer weight documents: base64 xgboost JSON per component, scales per feature.
absl::StatusOr<std::shared_ptr<const Model>> XgboostFromWeights(const v1::WeightDocument& doc) {
  std::vector<XgboostComponent> components;
  for (const v1::ComponentWeights& c : doc.components()) {
    XgboostComponent component{c.component(), "", {}, {}};
    if (!absl::Base64Unescape(c.xgboost_weights(), &component.model_bytes)) {
      return absl::InvalidArgumentError(absl::StrCat(c.component(), ": XGboost_Weights is not base64"));
    }
    component.features.assign(c.feature_names().begin(), c.feature_names().end());
    for (const v1::NumericalVariable& var : c.numerical_variables()) {
      component.scale.push_back(var.scale());
    }
    components.push_back(std::move(component));
  }
  return MakeXgboostModel(std::move(components));
}

std::string TrainerOf(const v1::ModelMetadata& metadata) {
  if (!metadata.trainer().empty()) return metadata.trainer();
  auto name = ParseModelName(metadata.model_name());
  return name ? name->trainer : "";
}

// Trainers whose weight.json fully describes the model.
bool HasWeightModel(absl::string_view trainer) {
  return IsWeightSupportTrainer(trainer) || trainer == "LinearRegressionTrainer";
}

}  // namespace

ModelFactoryRegistry& ModelFactoryRegistry::Global() {
  static ModelFactoryRegistry* registry = [] {
    auto* r = new ModelFactoryRegistry();
    r->Register("xgboost", LoadXgboost).IgnoreError();
    r->Register("scikit", LoadPickled).IgnoreError();
    r->Register("curvefit", LoadPickled).IgnoreError();
    return r;
  }();
  return *registry;
}

absl::Status ModelFactoryRegistry::Register(const std::string& model_class, ModelFactory factory) {
  absl::MutexLock lock(&mu_);
  if (!factories_.emplace(model_class, std::move(factory)).second) {
    return absl::AlreadyExistsError(absl::StrCat("model_class ", model_class, " already registered"));
  }
  return absl::OkStatus();
}

ModelFactory ModelFactoryRegistry::Find(absl::string_view model_class) const {
  absl::MutexLock lock(&mu_);
  auto it = factories_.find(model_class);
  return it == factories_.end() ? nullptr : it->second;
}

absl::StatusOr<std::shared_ptr<const Model>> LoadWeightModel(const v1::WeightDocument& doc,
                                                             absl::string_view trainer,
                                                             v1::FeatureGroup feature_group) {
  if (auto kind = CurveKindOf(trainer)) return MakeCurveFitWeightModel(doc, *kind, feature_group);
  for (const v1::ComponentWeights& c : doc.components()) {
    if (!c.xgboost_weights().empty()) return XgboostFromWeights(doc);
  }
  return MakeLinearWeightModel(doc);
}

absl::StatusOr<std::shared_ptr<const Model>> LoadModelFromFiles(const ModelFiles& files,
                                                                absl::string_view feature_group_hint) {
  ASSIGN_OR_RETURN(const std::string* text, ModelFileOf(files, kMetadataFile));
  auto metadata = ParseModelMetadata(*text);
  if (!metadata.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(kMetadataFile, ": ", metadata.status().message()));
  }
  const ModelSource source{files, *metadata, TrainerOf(*metadata),
                           ParseFeatureGroup(feature_group_hint).value_or(metadata->feature_group())};
  // A published archive's pickles are the model itself; its weight.json (a rounded copy, for
  // Kepler's own evaluation) is the fallback when they cannot be read.
  const bool has_weights = HasWeightModel(source.trainer) && files.count(kWeightFile) > 0;
  const auto from_weights = [&]() -> absl::StatusOr<std::shared_ptr<const Model>> {
    ASSIGN_OR_RETURN(v1::WeightDocument doc, ParseWeightDocument(files.at(kWeightFile)));
    return LoadWeightModel(doc, source.trainer, source.feature_group);
  };
  if (has_weights && !IsPickledClass(metadata->model_class())) return from_weights();
  ModelFactory factory = ModelFactoryRegistry::Global().Find(metadata->model_class());
  if (factory == nullptr) {
    return Unsupported(absl::StrCat("model_class '", metadata->model_class(), "' of ",
                                    metadata->model_name()));
  }
  absl::StatusOr<std::shared_ptr<const Model>> model = factory(source);
  if (!model.ok() && has_weights) {
    auto weights = from_weights();
    if (weights.ok()) return weights;
  }
  return model;
}

}  // namespace kepler::model::core
