#include "estimator/weight_answer.h"

#include "core/archive.h"
#include "core/energy_source.h"
#include "core/json_util.h"
#include "core/status_macros.h"
#include "core/trainer_name.h"
#include "core/weight_document.h"
#include "rapidjson/document.h"

namespace kepler::model::estimator {
namespace {

rapidjson::Value Str(const std::string& text, rapidjson::Document::AllocatorType& allocator) {
  return rapidjson::Value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}

}  // namespace

absl::StatusOr<std::string> WeightAnswerToArchive(const std::string& body,
                                                  v1::OutputType output_type) {
  ASSIGN_OR_RETURN(rapidjson::Document answer, core::ParseJson(body));
  ASSIGN_OR_RETURN(v1::WeightDocument weights, core::WeightDocumentFromJson(answer));
  const rapidjson::Value* name = core::FindMember(answer, "model_name");
  if (name == nullptr || !name->IsString() || weights.components_size() == 0) {
    return absl::InvalidArgumentError("weight answer without model_name or components");
  }
  auto parsed = core::ParseModelName(core::StringView(*name));
  if (!parsed.has_value()) return absl::InvalidArgumentError("weight answer with a bad model_name");
  rapidjson::Document metadata(rapidjson::kObjectType);
  auto& allocator = metadata.GetAllocator();
  metadata.AddMember("model_name", rapidjson::Value(*name, allocator), allocator);
  metadata.AddMember("trainer", Str(parsed->trainer, allocator), allocator);
  rapidjson::Value model_class(
      rapidjson::StringRef(core::IsCurveFitTrainer(parsed->trainer) ? "curvefit" : "scikit"));
  metadata.AddMember("model_class", model_class, allocator);
  rapidjson::Value features(rapidjson::kArrayType);
  for (const std::string& feature : weights.components(0).feature_names()) {
    features.PushBack(Str(feature, allocator), allocator);
  }
  metadata.AddMember("features", features, allocator);
  metadata.AddMember("output_type", Str(core::OutputTypeName(output_type), allocator), allocator);
  metadata.AddMember("node_type", parsed->node_type, allocator);
  for (const char* key : {"mae", "machine_spec"}) {
    if (const rapidjson::Value* value = core::FindMember(answer, key)) {
      metadata.AddMember(rapidjson::StringRef(key), rapidjson::Value(*value, allocator), allocator);
    }
  }
  ASSIGN_OR_RETURN(std::string metadata_json, core::WriteJson(metadata, core::JsonWriteOptions::Compact()));
  ASSIGN_OR_RETURN(std::string weight_json,
                   core::WriteWeightDocument(weights, core::JsonWriteOptions::Compact()));
  return core::WriteZip({{"metadata.json", std::move(metadata_json)},
                         {"weight.json", std::move(weight_json)}});
}

}  // namespace kepler::model::estimator
