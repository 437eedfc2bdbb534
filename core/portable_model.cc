#include "core/portable_model.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/json_fields.h"
#include "core/json_util.h"
#include "core/linear_model.h"
#include "core/portable_regressor.h"
#include "core/status_macros.h"

namespace kepler::model::core {
namespace {

absl::Status InFile(absl::string_view file, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(file, ": ", status.message()));
}

absl::StatusOr<const std::string*> FileOf(const ModelFiles& files, const std::string& name) {
  auto it = files.find(name);
  if (it == files.end()) return absl::InvalidArgumentError(absl::StrCat("model has no ", name));
  return &it->second;
}

// Scales of `features` from the component's fe_files (only scaler.json is portable); empty when
// there is none.
absl::StatusOr<std::vector<double>> ComponentScale(const ModelFiles& files,
                                                   const std::vector<std::string>& fe_files,
                                                   const std::vector<std::string>& features) {
  std::vector<double> scale;
  for (const std::string& fe : fe_files) {
    if (fe != kPortableScalerFile) {
      return absl::UnimplementedError(
          absl::StrCat("unsupported model format: feature-engineering file ", fe));
    }
    ASSIGN_OR_RETURN(const std::string* text, FileOf(files, fe));
    absl::StatusOr<PortableScaler> scaler = ParsePortableScaler(*text);
    if (!scaler.ok()) return InFile(fe, scaler.status());
    scale.assign(features.size(), 1.0);
    for (size_t i = 0; i < features.size(); ++i) {
      auto it = std::find(scaler->features.begin(), scaler->features.end(), features[i]);
      if (it == scaler->features.end()) {
        return absl::InvalidArgumentError(absl::StrCat(fe, " has no scale for ", features[i]));
      }
      scale[i] = scaler->scale[it - scaler->features.begin()];
    }
  }
  return scale;
}

absl::StatusOr<RegressorComponent> ReadComponent(const ModelSource& source, std::string name,
                                                 const rapidjson::Value& spec) {
  RegressorComponent c{std::move(name), nullptr, {}, {}};
  ASSIGN_OR_RETURN(std::string model_file, GetString(spec, "model_file"));
  c.features.assign(source.metadata.features().begin(), source.metadata.features().end());
  if (FindMember(spec, "features") != nullptr) {
    ASSIGN_OR_RETURN(c.features, GetStringList(spec, "features"));
  }
  std::vector<std::string> fe_files;
  if (FindMember(spec, "fe_files") != nullptr) {
    ASSIGN_OR_RETURN(fe_files, GetStringList(spec, "fe_files"));
  }
  ASSIGN_OR_RETURN(c.scale, ComponentScale(source.files, fe_files, c.features));
  ASSIGN_OR_RETURN(const std::string* text, FileOf(source.files, model_file));
  absl::StatusOr<std::shared_ptr<const Regressor>> regressor = ParseComponentRegressor(*text);
  if (!regressor.ok()) return InFile(model_file, regressor.status());
  c.regressor = std::move(*regressor);
  return c;
}

}  // namespace

absl::StatusOr<PortableScaler> ParsePortableScaler(absl::string_view json) {
  ASSIGN_OR_RETURN(rapidjson::Document doc, ParseJson(json));
  if (!doc.IsObject()) return absl::InvalidArgumentError("scaler is not a JSON object");
  PortableScaler scaler;
  ASSIGN_OR_RETURN(scaler.features, GetStringList(doc, "features"));
  ASSIGN_OR_RETURN(scaler.scale, GetNumberList(doc, "scale"));
  if (scaler.features.size() != scaler.scale.size()) {
    return absl::InvalidArgumentError("scaler features and scale differ in length");
  }
  for (double s : scaler.scale) {
    if (!(s > 0)) return absl::InvalidArgumentError(absl::StrCat("scaler scale ", s, " is not > 0"));
  }
  return scaler;
}

absl::StatusOr<std::string> WritePortableScaler(const PortableScaler& scaler) {
  if (scaler.features.size() != scaler.scale.size()) {
    return absl::InvalidArgumentError("scaler features and scale differ in length");
  }
  for (double s : scaler.scale) {
    if (!(s > 0) || !std::isfinite(s)) {
      return absl::InvalidArgumentError(absl::StrCat("scaler scale ", s, " is not > 0"));
    }
  }
  rapidjson::Document doc(rapidjson::kObjectType);
  AddString(&doc, "type", "MaxAbsScaler", doc.GetAllocator());
  AddStringList(&doc, "features", scaler.features, doc.GetAllocator());
  AddNumberList(&doc, "scale", scaler.scale, doc.GetAllocator());
  return WriteJson(doc, JsonWriteOptions::PythonDumps(false));
}

absl::StatusOr<std::shared_ptr<const Regressor>> ParseComponentRegressor(absl::string_view json) {
  ASSIGN_OR_RETURN(rapidjson::Document doc, ParseJson(json));
  if (!doc.IsObject()) return absl::InvalidArgumentError("model file is not a JSON object");
  absl::StatusOr<std::string> model = GetString(doc, "model");
  if (model.ok() && IsLinearFamilyModel(*model)) return ParseLinearFamilyRegressor(json);
  return ParsePortableRegressor(json);
}

absl::StatusOr<std::shared_ptr<const Model>> LoadPortableModel(const ModelSource& source) {
  const std::string& map_file = source.metadata.model_file();
  ASSIGN_OR_RETURN(const std::string* text, FileOf(source.files, map_file));
  absl::StatusOr<rapidjson::Document> map = ParseJson(*text);
  if (!map.ok()) return InFile(map_file, map.status());
  if (!map->IsObject() || map->MemberCount() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(map_file, " names no component"));
  }
  std::vector<RegressorComponent> components;
  for (const auto& member : map->GetObject()) {
    std::string name(StringView(member.name));
    absl::StatusOr<RegressorComponent> c = ReadComponent(source, name, member.value);
    if (!c.ok()) return InFile(absl::StrCat(map_file, " ", name), c.status());
    components.push_back(std::move(*c));
  }
  return MakeRegressorModel(std::move(components));
}

absl::Status RegisterPortableModelClass() {
  ModelFactoryRegistry& registry = ModelFactoryRegistry::Global();
  if (registry.Find(kPortableModelClass) != nullptr) return absl::OkStatus();
  absl::Status status = registry.Register(kPortableModelClass, LoadPortableModel);
  return status.code() == absl::StatusCode::kAlreadyExists ? absl::OkStatus() : status;
}

namespace {
// Linking this library makes "kepler-json" loadable (the target is alwayslink).
[[maybe_unused]] const bool kRegistered = RegisterPortableModelClass().ok();
}  // namespace

}  // namespace kepler::model::core
