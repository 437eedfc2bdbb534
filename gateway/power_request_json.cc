#include "gateway/power_request_json.h"

#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "core/energy_source.h"
#include "core/status_macros.h"
#include "gateway/legacy_json_fields.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace kepler::model::gateway {
namespace {

absl::Status Malformed(absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat("failed to handle request: ", reason));
}

const rapidjson::Value* Member(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

absl::Status ReadRows(const rapidjson::Value& values, v1::EstimateRequest& request) {
  if (!values.IsArray()) return Malformed("field 'values' must be a list of rows");
  for (const auto& row : values.GetArray()) {
    if (!row.IsArray()) return Malformed("field 'values' must be a list of rows");
    v1::MetricRow* out = request.add_values();
    out->mutable_values()->Reserve(row.Size());
    for (const auto& value : row.GetArray()) {
      if (!value.IsNumber()) return Malformed("row values must be numbers");
      out->add_values(value.GetDouble());
    }
  }
  return absl::OkStatus();
}

// A required list of strings, or an error naming the field.
template <typename Repeated>
absl::Status ReadList(const rapidjson::Value& doc, const char* field, bool required,
                      Repeated* out) {
  const rapidjson::Value* value = Member(doc, field);
  if (value == nullptr || value->IsNull()) {
    return required ? Malformed(absl::StrCat("field '", field, "' is required")) : absl::OkStatus();
  }
  auto list = ReadLegacyStringList(*value, field);
  if (!list.ok()) return Malformed(list.status().message());
  for (auto& item : *list) out->Add(std::move(item));
  return absl::OkStatus();
}

absl::Status ReadStrings(const rapidjson::Value& doc, v1::EstimateRequest& request) {
  for (auto [field, target] : {std::pair{"source", request.mutable_source()},
                               std::pair{"trainer_name", request.mutable_trainer_name()},
                               std::pair{"filter", request.mutable_filter()}}) {
    if (const rapidjson::Value* value = Member(doc, field)) {
      auto text = ReadLegacyString(*value, field);
      if (!text.ok()) return Malformed(text.status().message());
      *target = *std::move(text);
    }
  }
  return absl::OkStatus();
}

// Watts at milliwatt resolution, shortest text: 100.8442 -> "100.844", 0 -> "0".
void AppendWatts(double watts, std::string& out) {
  char buffer[64];
  // Absurd, but never overflow the buffer, and test before scaling: watts * 1000 overflows to
  // inf above DBL_MAX / 1000, and "inf" is not JSON.
  if (!(std::fabs(watts) < 1e15)) {
    out.append(buffer, std::snprintf(buffer, sizeof(buffer), "%.17g", watts));
    return;
  }
  double rounded = std::round(watts * 1000) / 1000;
  int length = std::snprintf(buffer, sizeof(buffer), "%.3f", rounded);
  while (length > 0 && buffer[length - 1] == '0') --length;
  if (length > 0 && buffer[length - 1] == '.') --length;
  out.append(buffer, length);
}

void AppendString(absl::string_view text, std::string& out) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  out.append(buffer.GetString(), buffer.GetSize());
}

}  // namespace

absl::StatusOr<v1::EstimateRequest> ParsePowerRequestJson(absl::string_view text) {
  rapidjson::Document doc;
  // JSON text is UTF-8 (RFC 8259 §8.1) and so are proto3 string fields: refuse other bytes here.
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  if (doc.HasParseError()) return Malformed("request is not valid JSON");
  if (!doc.IsObject()) return Malformed("request must be a JSON object");
  v1::EstimateRequest request;
  RETURN_IF_ERROR(ReadList(doc, "metrics", true, request.mutable_metrics()));
  const rapidjson::Value* values = Member(doc, "values");
  if (values == nullptr) return Malformed("field 'values' is required");
  RETURN_IF_ERROR(ReadRows(*values, request));
  RETURN_IF_ERROR(ReadList(doc, "system_features", false, request.mutable_system_features()));
  RETURN_IF_ERROR(ReadList(doc, "system_values", false, request.mutable_system_values()));
  RETURN_IF_ERROR(ReadStrings(doc, request));
  const rapidjson::Value* type = Member(doc, "output_type");
  if (type == nullptr || !type->IsString()) return Malformed("field 'output_type' is required");
  auto output_type = core::ParseOutputType(type->GetString());
  if (!output_type.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("output type ", type->GetString(), " is not supported"));
  }
  request.set_output_type(*output_type);
  return request;
}

std::string PowerResponseJson(const v1::EstimateResponse& response) {
  std::string out = "{\"powers\":{";
  for (int c = 0; c < response.powers_size(); ++c) {
    const v1::ComponentPower& power = response.powers(c);
    if (c > 0) out.push_back(',');
    AppendString(power.component(), out);
    out += ":[";
    for (int r = 0; r < power.watts_size(); ++r) {
      if (r > 0) out.push_back(',');
      AppendWatts(power.watts(r), out);
    }
    out.push_back(']');
  }
  out += "},\"msg\":";
  AppendString(response.msg(), out);
  char ratio[32];
  std::snprintf(ratio, sizeof(ratio), "%.6g", response.core_ratio());
  absl::StrAppend(&out, ",\"core_ratio\":", ratio, "}");
  return out;
}

std::string PowerErrorJson(absl::string_view message) {
  std::string out = "{\"powers\":{},\"msg\":";
  AppendString(message, out);
  out += ",\"core_ratio\":0}";
  return out;
}

}  // namespace kepler::model::gateway
