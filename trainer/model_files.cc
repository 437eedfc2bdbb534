#include "trainer/model_files.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/json_fields.h"
#include "core/json_util.h"
#include "core/portable_model.h"
#include "core/status_macros.h"

namespace kepler::model::trainer {
namespace {

absl::Status CheckComponents(const std::vector<FittedComponent>& components) {
  if (components.empty()) return absl::InvalidArgumentError("model has no component");
  for (const FittedComponent& c : components) {
    if (c.trainer == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("component ", c.component, " has no trainer"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ComponentMap(const MaxAbsScaler& scaler,
                                         const std::vector<FittedComponent>& components) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  for (const FittedComponent& c : components) {
    rapidjson::Value entry(rapidjson::kObjectType);
    core::AddString(&entry, "model_file", absl::StrCat(c.component, ".json"), a);
    core::AddStringList(&entry, "features", scaler.features(), a);
    core::AddStringList(&entry, "fe_files", {core::kPortableScalerFile}, a);
    doc.AddMember(rapidjson::Value(c.component.c_str(), a), entry, a);
  }
  return core::WriteJson(doc, core::JsonWriteOptions::PythonDumps(false));
}

}  // namespace

absl::StatusOr<core::ModelFiles> PortableModelFiles(
    absl::string_view model_name, const MaxAbsScaler& scaler,
    const std::vector<FittedComponent>& components) {
  RETURN_IF_ERROR(CheckComponents(components));
  core::ModelFiles files;
  ASSIGN_OR_RETURN(files[absl::StrCat(model_name, ".json")], ComponentMap(scaler, components));
  ASSIGN_OR_RETURN(files[core::kPortableScalerFile], scaler.ToJson());
  for (const FittedComponent& c : components) {
    ASSIGN_OR_RETURN(files[absl::StrCat(c.component, ".json")], c.trainer->SaveJson());
  }
  return files;
}

absl::StatusOr<v1::WeightDocument> WeightDocumentOf(
    const MaxAbsScaler& scaler, const std::vector<FittedComponent>& components) {
  RETURN_IF_ERROR(CheckComponents(components));
  v1::WeightDocument doc;
  for (const FittedComponent& c : components) {
    ASSIGN_OR_RETURN(*doc.add_components(),
                     c.trainer->WeightComponent(c.component, scaler.features(), scaler.scale()));
  }
  return doc;
}

}  // namespace kepler::model::trainer
