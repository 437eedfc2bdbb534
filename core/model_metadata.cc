#include "core/model_metadata.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "core/energy_source.h"
#include "core/node_type.h"
#include "core/status_macros.h"
#include "rapidjson/document.h"

namespace kepler::model::core {
namespace {

// mae and mape are kept in `attributes` too, so "has it" and "its value" have one source.
constexpr absl::string_view kMae = "mae";
constexpr absl::string_view kMape = "mape";

absl::Status ReadString(const rapidjson::Value& value, absl::string_view key, std::string* out) {
  if (value.IsNull()) return absl::OkStatus();
  if (!value.IsString()) return absl::InvalidArgumentError(absl::StrCat(key, " must be a string"));
  out->assign(value.GetString(), value.GetStringLength());
  return absl::OkStatus();
}

template <typename RepeatedField>
absl::Status ReadStringList(const rapidjson::Value& value, absl::string_view key,
                            RepeatedField* out) {
  if (!value.IsArray()) return absl::InvalidArgumentError(absl::StrCat(key, " must be a list"));
  for (const auto& item : value.GetArray()) {
    if (!item.IsString()) {
      return absl::InvalidArgumentError(absl::StrCat(key, " must hold strings only"));
    }
    out->Add(std::string(item.GetString(), item.GetStringLength()));
  }
  return absl::OkStatus();
}

absl::Status ReadField(absl::string_view key, const rapidjson::Value& value,
                       v1::ModelMetadata* out) {
  if (key == "model_name") return ReadString(value, key, out->mutable_model_name());
  if (key == "trainer") return ReadString(value, key, out->mutable_trainer());
  if (key == "model_class") return ReadString(value, key, out->mutable_model_class());
  if (key == "model_file") return ReadString(value, key, out->mutable_model_file());
  if (key == "features") return ReadStringList(value, key, out->mutable_features());
  if (key == "fe_files") return ReadStringList(value, key, out->mutable_fe_files());
  if (key == "output_type") {
    std::string name;
    RETURN_IF_ERROR(ReadString(value, key, &name));
    out->set_output_type(ParseOutputType(name).value_or(v1::OUTPUT_TYPE_UNSPECIFIED));
    return absl::OkStatus();
  }
  if (key == "machine_spec") {
    if (value.IsNull()) return absl::OkStatus();
    ASSIGN_OR_RETURN(NodeSpec spec, NodeSpecFromJson(value));
    *out->mutable_machine_spec() = NodeSpecToProto(spec);
    return absl::OkStatus();
  }
  if (value.IsNumber()) {
    double number = value.GetDouble();
    if (key == "node_type") out->set_node_type(static_cast<int64_t>(number));
    if (key == kMae) out->set_mae(number);
    if (key == kMape) out->set_mape(number);
    (*out->mutable_attributes())[std::string(key)] = number;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::ModelMetadata> ParseModelMetadata(absl::string_view json_text) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(json_text.data(), json_text.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return absl::InvalidArgumentError("metadata.json is not a JSON object");
  }
  v1::ModelMetadata metadata;
  metadata.set_node_type(-1);
  metadata.set_mape(-1);
  for (const auto& member : doc.GetObject()) {
    absl::string_view key(member.name.GetString(), member.name.GetStringLength());
    absl::Status status = ReadField(key, member.value, &metadata);
    if (!status.ok()) return absl::InvalidArgumentError(absl::StrCat("metadata.json: ", status.message()));
  }
  return metadata;
}

absl::optional<double> MetadataValue(const v1::ModelMetadata& metadata, absl::string_view key) {
  auto it = metadata.attributes().find(std::string(key));
  if (it == metadata.attributes().end()) return absl::nullopt;
  return it->second;
}

}  // namespace kepler::model::core
