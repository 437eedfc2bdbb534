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

// Kepler records each value w as uint64(w * 1000) milliwatts: it truncates. A value rounded to
// three decimals first can lose a milliwatt there ("1.005" * 1000 is 1004.9999999999999), so
// each value is written as the milliwatts m = trunc(w * 1000) Kepler would get from the unrounded
// w: "m / 1000" with up to three decimals when Kepler's arithmetic on that text gives back m,
// else with a fourth decimal 5 ("1.0055"), half a milliwatt above m, which it truncates to m.
// Below kCompactWatts the integer arithmetic below is exact.
constexpr double kCompactWatts = 1e9;

void AppendWatts(double watts, std::string& out) {
  if (!(std::fabs(watts) < kCompactWatts)) {  // absurd (or not finite): the exact double
    char buffer[64];
    out.append(buffer, std::snprintf(buffer, sizeof(buffer), "%.17g", watts));
    return;
  }
  const auto milliwatts = static_cast<uint64_t>(std::fabs(watts) * 1000);
  if (std::signbit(watts) && milliwatts > 0) out.push_back('-');
  absl::StrAppend(&out, milliwatts / 1000);
  const unsigned fraction = milliwatts % 1000;
  // The double nearest to m / 1000, which is what parsing its decimal text gives.
  const bool exact = static_cast<uint64_t>(milliwatts / 1000.0 * 1000) == milliwatts;
  if (fraction == 0 && exact) return;
  char digits[5] = {'.', static_cast<char>('0' + fraction / 100),
                    static_cast<char>('0' + fraction / 10 % 10),
                    static_cast<char>('0' + fraction % 10), '5'};
  size_t length = 5;
  if (exact) {
    length = 4;
    while (digits[length - 1] == '0') --length;
  }
  out.append(digits, length);
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
