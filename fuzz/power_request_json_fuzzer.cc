// Fuzzes the estimator socket's legacy JSON (gateway/power_request_json.h): the request parser
// on arbitrary bytes, and the answer writers on what an accepted request carries.
//
// Invariants:
// - ParsePowerRequestJson never crashes; a rejected request has an InvalidArgument message.
// - An accepted request has AbsPower or DynPower and no NaN, and survives a proto serialisation
//   round trip unchanged (so its strings are valid UTF-8, as proto3 requires). RapidJSON 1.1
//   reads a few overflowing literals such as 241e308 as inf rather than failing; the estimator
//   service answers "not finite" for those.
// - An answer built from an accepted request (one component per row, named after a metric, whose
//   watts are the row's finite values clamped at 0, as core::Model::Finish guarantees; msg =
//   source) is JSON Kepler can decode: an object whose "powers" is an object holding the
//   components in order, each an array of the watts as Kepler truncates them to milliwatts, "msg" the message
//   byte for byte, and a numeric "core_ratio".
// - An error answer carries the parser's message back unchanged, with "powers" an empty object.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_check.h"
#include "gateway/power_request_json.h"
#include "rapidjson/document.h"

namespace {

using kepler::model::gateway::ParsePowerRequestJson;
using kepler::model::gateway::PowerErrorJson;
using kepler::model::gateway::PowerResponseJson;
namespace v1 = kepler::model::v1;

bool StringIs(const rapidjson::Value& value, absl::string_view want) {
  return value.IsString() && absl::string_view(value.GetString(), value.GetStringLength()) == want;
}

// Parses an answer and checks its frame: an object with "powers" (an object), "msg" (== msg) and
// a numeric "core_ratio". Returns "powers".
const rapidjson::Value& CheckAnswer(const std::string& json, absl::string_view msg,
                                    rapidjson::Document& doc) {
  doc.Parse(json.data(), json.size());
  FUZZ_CHECK(!doc.HasParseError(), json.c_str());
  FUZZ_CHECK(doc.IsObject() && doc.MemberCount() == 3, json.c_str());
  FUZZ_CHECK(doc.HasMember("powers") && doc["powers"].IsObject(), json.c_str());
  FUZZ_CHECK(doc.HasMember("msg") && StringIs(doc["msg"], msg), "msg does not round-trip");
  FUZZ_CHECK(doc.HasMember("core_ratio") && doc["core_ratio"].IsNumber(), json.c_str());
  FUZZ_CHECK(json.find('\n') == std::string::npos, "answer is not compact");
  return doc["powers"];
}

v1::EstimateResponse AnswerFor(const v1::EstimateRequest& request) {
  v1::EstimateResponse response;
  for (int r = 0; r < request.values_size(); ++r) {
    v1::ComponentPower* power = response.add_powers();
    power->set_component(request.metrics_size() > 0
                             ? request.metrics(r % request.metrics_size())
                             : "row");
    for (double v : request.values(r).values()) {
      if (std::isfinite(v)) power->add_watts(std::max(0.0, v));
    }
  }
  response.set_msg(request.source());
  response.set_core_ratio(request.values_size());
  return response;
}

// A printed watt value must give Kepler, which records uint64(w * 1000) milliwatts, what the
// unrounded value gives, and lie within a milliwatt of it; absurd values are exact.
bool CloseEnough(double printed, double watts) {
  if (!(std::fabs(watts) < 1e9)) return std::fabs(printed - watts) <= std::fabs(watts) * 1e-15;
  if (std::fabs(printed - watts) >= 0.001) return false;
  return watts < 0 || static_cast<uint64_t>(printed * 1000) == static_cast<uint64_t>(watts * 1000);
}

void CheckAccepted(const v1::EstimateRequest& request) {
  FUZZ_CHECK(request.output_type() == v1::AbsPower || request.output_type() == v1::DynPower,
             "accepted an unknown output type");
  for (const v1::MetricRow& row : request.values()) {
    for (double v : row.values()) FUZZ_CHECK(!std::isnan(v), "accepted NaN");
  }
  const std::string wire = request.SerializeAsString();
  v1::EstimateRequest again;
  FUZZ_CHECK(again.ParseFromString(wire) && again.SerializeAsString() == wire,
             "request does not survive a proto round trip");
  const v1::EstimateResponse response = AnswerFor(request);
  const std::string json = PowerResponseJson(response);
  rapidjson::Document doc;
  const rapidjson::Value& powers = CheckAnswer(json, response.msg(), doc);
  FUZZ_CHECK(powers.MemberCount() == static_cast<unsigned>(response.powers_size()), json.c_str());
  int c = 0;
  for (const auto& member : powers.GetObject()) {
    const v1::ComponentPower& power = response.powers(c++);
    FUZZ_CHECK(StringIs(member.name, power.component()), "component name does not round-trip");
    FUZZ_CHECK(member.value.IsArray() &&
                   member.value.Size() == static_cast<unsigned>(power.watts_size()),
               json.c_str());
    for (int r = 0; r < power.watts_size(); ++r) {
      FUZZ_CHECK(member.value[r].IsNumber(), json.c_str());
      FUZZ_CHECK(CloseEnough(member.value[r].GetDouble(), power.watts(r)), json.c_str());
    }
  }
}

void CheckRejected(const absl::Status& status) {
  FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument, "not InvalidArgument");
  FUZZ_CHECK(!status.message().empty(), "empty error message");
  const std::string json = PowerErrorJson(status.message());
  rapidjson::Document doc;
  const rapidjson::Value& powers = CheckAnswer(json, status.message(), doc);
  FUZZ_CHECK(powers.MemberCount() == 0, json.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto request = ParsePowerRequestJson(text);
  if (request.ok()) {
    CheckAccepted(*request);
  } else {
    CheckRejected(request.status());
  }
  return 0;
}
