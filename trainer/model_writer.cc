#include "trainer/model_writer.h"

#include "absl/strings/str_cat.h"
#include "core/archive.h"
#include "core/energy_source.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "core/status_macros.h"
#include "core/trainer_name.h"
#include "core/weight_document.h"
#include "rapidjson/document.h"

namespace kepler::model::trainer {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

rapidjson::Value Str(const std::string& text, Allocator& allocator) {
  return rapidjson::Value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}

void AddNumber(rapidjson::Document& doc, const std::string& key, double value) {
  doc.AddMember(Str(key, doc.GetAllocator()), rapidjson::Value(value), doc.GetAllocator());
}

// metadata.json with the reference's keys (§3.3), mape as the maximum over components (§11.13).
absl::StatusOr<std::string> MetadataJson(const TrainedModel& model, const std::string& name,
                                         const ErrorMetrics& overall) {
  rapidjson::Document doc(rapidjson::kObjectType);
  Allocator& allocator = doc.GetAllocator();
  std::string trainer = core::TrainerNameString(model.trainer);
  doc.AddMember("model_name", Str(name, allocator), allocator);
  doc.AddMember("trainer", Str(trainer, allocator), allocator);
  doc.AddMember("model_class", "kepler-json", allocator);
  doc.AddMember("model_file", Str(name + ".json", allocator), allocator);
  rapidjson::Value features(rapidjson::kArrayType);
  for (const std::string& feature : model.scaler->features()) {
    features.PushBack(Str(feature, allocator), allocator);
  }
  doc.AddMember("features", features, allocator);
  doc.AddMember("fe_files", rapidjson::Value(rapidjson::kArrayType), allocator);
  doc.AddMember("output_type", Str(core::OutputTypeName(model.output_type), allocator), allocator);
  AddNumber(doc, "mae", overall.mae);
  AddNumber(doc, "mape", overall.mape);
  doc.AddMember("node_type", model.node_type, allocator);
  if (model.machine_spec.has_value()) {
    doc.AddMember("machine_spec", core::NodeSpecToJsonValue(*model.machine_spec, allocator),
                  allocator);
  }
  for (const char* kind : {"mae", "mape"}) {
    for (size_t c = 0; c < model.components.size(); ++c) {
      const ErrorMetrics& error = model.errors[c];
      AddNumber(doc, absl::StrCat(model.components[c].component, "_", kind),
                std::string(kind) == "mae" ? error.mae : error.mape);
    }
  }
  return core::WriteJson(doc, core::JsonWriteOptions::PythonDumps(/*sort_keys=*/false));
}

v1::ModelMetrics MetricsOf(const TrainedModel& model, const std::string& name,
                           const ErrorMetrics& overall) {
  v1::ModelMetrics metrics;
  metrics.set_output_type(model.output_type);
  metrics.set_model_name(name);
  metrics.set_mae(overall.mae);
  metrics.set_mape(overall.mape);
  for (size_t c = 0; c < model.components.size(); ++c) {
    (*metrics.mutable_component_mae())[model.components[c].component] = model.errors[c].mae;
    (*metrics.mutable_component_mape())[model.components[c].component] = model.errors[c].mape;
  }
  return metrics;
}

absl::Status WriteFolder(const std::string& dir, const core::ModelFiles& files) {
  RETURN_IF_ERROR(core::MakeDirs(dir));
  for (const auto& [file, content] : files) {
    RETURN_IF_ERROR(core::WriteStagedFile(absl::StrCat(dir, "/", file), content));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::ModelMetrics> WriteModel(const std::string& group_dir,
                                            const TrainedModel& model) {
  if (model.scaler == nullptr || model.components.size() != model.errors.size()) {
    return absl::InvalidArgumentError("a trained model needs a scaler and one error per component");
  }
  std::string name = core::MakeModelName(core::TrainerNameString(model.trainer), model.node_type);
  ASSIGN_OR_RETURN(core::ModelFiles files, PortableModelFiles(name, *model.scaler, model.components));
  ErrorMetrics overall = ModelError(model.errors);
  ASSIGN_OR_RETURN(files["metadata.json"], MetadataJson(model, name, overall));
  auto weights = WeightDocumentOf(*model.scaler, model.components);
  std::string weight_json;
  if (weights.ok()) {
    ASSIGN_OR_RETURN(weight_json, core::WriteWeightDocument(
                                      *weights, core::JsonWriteOptions::PythonDumps(false)));
    files["weight.json"] = weight_json;
  } else if (weights.status().code() != absl::StatusCode::kUnimplemented) {
    return weights.status();
  }
  RETURN_IF_ERROR(WriteFolder(absl::StrCat(group_dir, "/", name), files));
  std::vector<core::ArchiveEntry> entries;
  for (const auto& [file, content] : files) entries.push_back({file, content});
  core::ZipOptions fastest;
  fastest.level = 1;  // zlib's default level costs 3x the time for ~10% smaller archives
  ASSIGN_OR_RETURN(std::string zip, core::WriteZip(std::move(entries), fastest));
  RETURN_IF_ERROR(core::WriteStagedFile(absl::StrCat(group_dir, "/", name, ".zip"), zip));
  if (!weight_json.empty()) {
    RETURN_IF_ERROR(core::WriteStagedFile(absl::StrCat(group_dir, "/", name, ".json"), weight_json));
  }
  return MetricsOf(model, name, overall);
}

}  // namespace kepler::model::trainer
