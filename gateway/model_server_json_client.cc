#include "gateway/model_server_json_client.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/archive.h"
#include "core/energy_source.h"
#include "core/json_util.h"
#include "core/status_macros.h"
#include "core/trainer_name.h"
#include "core/weight_document.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace kepler::model::gateway {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Key(Writer& writer, const char* key, const std::string& value) {
  writer.Key(key);
  writer.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

void WriteSpec(Writer& writer, const v1::MachineSpec& spec) {
  writer.StartObject();
  Key(writer, "processor", spec.processor());
  const std::pair<const char*, int64_t> numbers[] = {
      {"cores", spec.cores()},   {"chips", spec.chips()}, {"memory", spec.memory()},
      {"frequency", spec.frequency()}, {"threads_per_core", spec.threads_per_core()}};
  for (const auto& [key, value] : numbers) {
    writer.Key(key);
    writer.Int64(value);
  }
  Key(writer, "vendor", spec.vendor());
  writer.EndObject();
}

rapidjson::Value Str(const std::string& text, rapidjson::Document::AllocatorType& allocator) {
  return rapidjson::Value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}

}  // namespace

absl::StatusOr<std::string> ModelServerJsonClient::FetchModel(
    const std::string& endpoint, const estimator::AcquireRequest& request,
    const v1::MachineSpec& spec, bool weight) const {
  ASSIGN_OR_RETURN(std::string body,
                   core::OkBody(http_->Post(endpoint, ModelRequestBody(request, spec, weight),
                                       "application/json", fetch_)));
  if (!weight) return body;
  return WeightAnswerToArchive(body, request.output_type);
}

std::string ModelRequestBody(const estimator::AcquireRequest& request,
                             const v1::MachineSpec& spec, bool weight) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("metrics");
  writer.StartArray();
  for (const std::string& feature : request.features) {
    writer.String(feature.c_str(), static_cast<rapidjson::SizeType>(feature.size()));
  }
  writer.EndArray();
  Key(writer, "output_type", core::OutputTypeName(request.output_type));
  Key(writer, "source", request.source);
  Key(writer, "filter", request.filter);
  Key(writer, "trainer_name", request.trainer_name);
  writer.Key("machine_spec");
  WriteSpec(writer, spec);
  writer.Key("weight");
  writer.Bool(weight);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

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
  ASSIGN_OR_RETURN(std::string metadata_json,
                   core::WriteJson(metadata, core::JsonWriteOptions::Compact()));
  ASSIGN_OR_RETURN(std::string weight_json,
                   core::WriteWeightDocument(weights, core::JsonWriteOptions::Compact()));
  return core::WriteZip({{"metadata.json", std::move(metadata_json)},
                         {"weight.json", std::move(weight_json)}});
}

}  // namespace kepler::model::gateway
