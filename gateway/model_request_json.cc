#include "gateway/model_request_json.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/energy_source.h"
#include "core/feature_group.h"
#include "core/node_type.h"
#include "core/status_macros.h"
#include "gateway/legacy_json_fields.h"
#include "rapidjson/document.h"

namespace kepler::model::gateway {
namespace {

constexpr unsigned kParseFlags =
    rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag;

absl::StatusOr<std::string> ReadSource(const rapidjson::Value* value) {
  std::string source;
  if (value != nullptr) {
    ASSIGN_OR_RETURN(source, ReadLegacyString(*value, "source"));
  }
  source = core::NormalizeSource(source);
  if (!core::IsKnownSource(source)) {
    return absl::InvalidArgumentError(absl::StrCat("source '", source, "' is not supported"));
  }
  return source;
}

absl::StatusOr<v1::OutputType> ReadOutputType(const rapidjson::Value& value) {
  ASSIGN_OR_RETURN(std::string name, ReadLegacyString(value, "output_type"));
  auto type = core::ParseOutputType(name);
  if (!type.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat("output type ", name, " is not supported"));
  }
  return *type;
}

const rapidjson::Value* Member(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

absl::Status ReadOptionalFields(const rapidjson::Value& doc, v1::GetModelRequest& request) {
  if (auto* v = Member(doc, "node_type")) {
    ASSIGN_OR_RETURN(long long node_type, ReadLegacyInt(*v, "node_type", -1));
    request.set_node_type(node_type);
  }
  if (auto* v = Member(doc, "weight")) {
    ASSIGN_OR_RETURN(bool weight, ReadLegacyBool(*v, "weight", false));
    request.set_weight(weight);
  }
  if (auto* v = Member(doc, "trainer_name")) {
    ASSIGN_OR_RETURN(*request.mutable_trainer_name(), ReadLegacyString(*v, "trainer_name"));
  }
  if (auto* v = Member(doc, "filter")) {
    ASSIGN_OR_RETURN(*request.mutable_filter(), ReadLegacyString(*v, "filter"));
  }
  if (auto* v = Member(doc, "pipeline_name")) {
    ASSIGN_OR_RETURN(*request.mutable_pipeline_name(), ReadLegacyString(*v, "pipeline_name"));
  }
  if (auto* v = Member(doc, "loose_node_type")) {
    ASSIGN_OR_RETURN(bool loose, ReadLegacyBool(*v, "loose_node_type", true));
    request.set_loose_node_type(loose);
  }
  if (auto* v = Member(doc, "machine_spec"); v != nullptr && !v->IsNull()) {
    auto spec = core::NodeSpecFromJson(*v);
    if (!spec.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("field 'machine_spec': ", spec.status().message()));
    }
    if (spec->processor && !IsValidUtf8(*spec->processor)) {
      return absl::InvalidArgumentError("field 'machine_spec': processor is not valid UTF-8");
    }
    *request.mutable_machine_spec() = core::NodeSpecToProto(*spec);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::GetModelRequest> ParseModelRequestJson(absl::string_view body) {
  rapidjson::Document doc;
  // JSON text is UTF-8 (RFC 8259 §8.1) and so are proto3 string fields: refuse other bytes here.
  // Iterative: the recursive parser overflows the stack on a request of nested brackets.
  doc.Parse<kParseFlags>(body.data(), body.size());
  if (doc.HasParseError()) return absl::InvalidArgumentError("request body is not valid JSON");
  if (!doc.IsObject()) return absl::InvalidArgumentError("request body must be a JSON object");
  v1::GetModelRequest request;
  const rapidjson::Value* metrics = Member(doc, "metrics");
  if (metrics == nullptr) return absl::InvalidArgumentError("field 'metrics' is required");
  ASSIGN_OR_RETURN(auto metric_list, ReadLegacyStringList(*metrics, "metrics"));
  for (auto& metric : metric_list) request.add_metrics(std::move(metric));
  const rapidjson::Value* output_type = Member(doc, "output_type");
  if (output_type == nullptr) return absl::InvalidArgumentError("field 'output_type' is required");
  ASSIGN_OR_RETURN(v1::OutputType type, ReadOutputType(*output_type));
  request.set_output_type(type);
  ASSIGN_OR_RETURN(*request.mutable_source(), ReadSource(Member(doc, "source")));
  RETURN_IF_ERROR(ReadOptionalFields(doc, request));
  return request;
}

absl::StatusOr<v1::ListBestModelsRequest> ParseBestModelsQuery(
    const std::vector<std::pair<std::string, std::string>>& params) {
  v1::ListBestModelsRequest request;
  request.set_energy_source(core::NormalizeSource(""));
  for (const auto& [key, value] : params) {
    if (key == "energy-source") {
      request.set_energy_source(core::NormalizeSource(value));
      if (!core::IsKnownSource(request.energy_source())) {
        return absl::InvalidArgumentError(absl::StrCat("'", value, "' is not an energy source"));
      }
    } else if (key == "output-type") {
      auto type = core::ParseOutputType(value);
      if (!type) return absl::InvalidArgumentError(absl::StrCat("'", value, "'"));
      request.add_output_type(*type);
    } else if (key == "feature-group") {
      auto group = core::ParseFeatureGroup(value);
      if (!group || core::FeatureGroups::Default().FeaturesOf(*group).empty()) {
        return absl::InvalidArgumentError(absl::StrCat("'", value, "'"));
      }
      request.add_feature_group(*group);
    } else if (key == "node-type") {
      long long node_type = 0;
      if (!absl::SimpleAtoi(value, &node_type)) {
        return absl::InvalidArgumentError(absl::StrCat("node-type '", value, "' is not an integer"));
      }
      request.set_node_type(node_type);
    } else if (key == "filter") {
      request.set_filter(value);
    }
  }
  return request;
}

}  // namespace kepler::model::gateway
