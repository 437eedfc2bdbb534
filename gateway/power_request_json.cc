#include "gateway/power_request_json.h"

#include <cmath>
#include <cstdint>
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

constexpr unsigned kParseFlags =
    rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag;

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

// Below this many milliwatts (1e9 W), "%.3f" of milliwatts / 1000 is exactly the integer part
// and three digits of the whole number `milliwatts`: the double nearest to it / 1000 is within
// far less than half a milliwatt, so the integer arithmetic below writes the same text without
// printf's arbitrary-precision formatting (a third of a 1,000-row answer's cost).
constexpr double kExactMilliwatts = 1e12;

// Writes a whole number of milliwatts (|milliwatts| < kExactMilliwatts) as watts, as "%.3f" of
// milliwatts / 1000 with trailing zeros and point dropped ("-0" for negative zero, as printf).
void AppendMilliwatts(double milliwatts, std::string& out) {
  if (std::signbit(milliwatts)) out.push_back('-');
  const auto whole = static_cast<uint64_t>(std::fabs(milliwatts));
  absl::StrAppend(&out, whole / 1000);
  const unsigned fraction = whole % 1000;
  if (fraction == 0) return;
  char digits[4] = {'.', static_cast<char>('0' + fraction / 100),
                    static_cast<char>('0' + fraction / 10 % 10), static_cast<char>('0' + fraction % 10)};
  size_t length = 4;
  while (digits[length - 1] == '0') --length;
  out.append(digits, length);
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
  const double milliwatts = std::round(watts * 1000);
  if (std::fabs(milliwatts) < kExactMilliwatts) return AppendMilliwatts(milliwatts, out);
  int length = std::snprintf(buffer, sizeof(buffer), "%.3f", milliwatts / 1000);
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

absl::Status ParsePowerRequestJson(absl::string_view text, v1::EstimateRequest* request) {
  request->Clear();
  rapidjson::Document doc;
  // JSON text is UTF-8 (RFC 8259 §8.1) and so are proto3 string fields: refuse other bytes here.
  // Iterative: the recursive parser overflows the stack on a request of nested brackets.
  doc.Parse<kParseFlags>(text.data(), text.size());
  if (doc.HasParseError()) return Malformed("request is not valid JSON");
  if (!doc.IsObject()) return Malformed("request must be a JSON object");
  RETURN_IF_ERROR(ReadList(doc, "metrics", true, request->mutable_metrics()));
  const rapidjson::Value* values = Member(doc, "values");
  if (values == nullptr) return Malformed("field 'values' is required");
  RETURN_IF_ERROR(ReadRows(*values, *request));
  RETURN_IF_ERROR(ReadList(doc, "system_features", false, request->mutable_system_features()));
  RETURN_IF_ERROR(ReadList(doc, "system_values", false, request->mutable_system_values()));
  RETURN_IF_ERROR(ReadStrings(doc, *request));
  const rapidjson::Value* type = Member(doc, "output_type");
  if (type == nullptr || !type->IsString()) return Malformed("field 'output_type' is required");
  auto output_type = core::ParseOutputType(type->GetString());
  if (!output_type.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("output type ", type->GetString(), " is not supported"));
  }
  request->set_output_type(*output_type);
  return absl::OkStatus();
}

absl::StatusOr<v1::EstimateRequest> ParsePowerRequestJson(absl::string_view text) {
  v1::EstimateRequest request;
  RETURN_IF_ERROR(ParsePowerRequestJson(text, &request));
  return request;
}

std::string PowerResponseJson(const v1::EstimateResponse& response) {
  std::string out;
  size_t watts = 0;
  for (const v1::ComponentPower& power : response.powers()) watts += power.watts_size();
  out.reserve(64 + 16 * response.powers_size() + 10 * watts);  // one allocation, usually
  out += "{\"powers\":{";
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
