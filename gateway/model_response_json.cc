#include "gateway/model_response_json.h"

#include "core/json_util.h"
#include "core/model_metadata.h"
#include "core/node_type.h"
#include "core/status_macros.h"
#include "core/weight_document.h"
#include "rapidjson/document.h"

namespace kepler::model::gateway {
namespace {

rapidjson::Value Str(const std::string& text, rapidjson::Document::AllocatorType& allocator) {
  return rapidjson::Value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}

void AddSelectionKeys(const v1::ModelMetadata& metadata, const std::string& error_key,
                      rapidjson::Document& doc) {
  auto& allocator = doc.GetAllocator();
  doc.AddMember("model_name", Str(metadata.model_name(), allocator), allocator);
  if (metadata.has_machine_spec()) {
    doc.AddMember("machine_spec",
                  core::NodeSpecToJsonValue(core::NodeSpecFromProto(metadata.machine_spec()),
                                            allocator),
                  allocator);
  }
  if (auto error = core::MetadataValue(metadata, error_key)) {
    doc.AddMember(Str(error_key, allocator), rapidjson::Value(*error), allocator);
  }
}

}  // namespace

absl::StatusOr<std::string> WeightResponseJson(const v1::GetModelResponse& response,
                                               const std::string& error_key) {
  rapidjson::Document doc(rapidjson::kObjectType);
  RETURN_IF_ERROR(core::AddWeightDocumentMembers(response.weights(), &doc, doc.GetAllocator()));
  if (response.node_type_was_any()) AddSelectionKeys(response.metadata(), error_key, doc);
  return core::WriteJson(doc, core::JsonWriteOptions::PythonDumps(/*sort_keys=*/true));
}

absl::StatusOr<std::string> BestModelsJson(const v1::ListBestModelsResponse& response) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& allocator = doc.GetAllocator();
  for (const auto& [type, by_group] : response.output_types()) {
    rapidjson::Value groups(rapidjson::kObjectType);
    for (const auto& [group, model] : by_group.models()) {
      groups.AddMember(Str(group, allocator), Str(model, allocator), allocator);
    }
    doc.AddMember(Str(type, allocator), groups, allocator);
  }
  return core::WriteJson(doc, core::JsonWriteOptions::PythonDumps(/*sort_keys=*/true));
}

}  // namespace kepler::model::gateway
