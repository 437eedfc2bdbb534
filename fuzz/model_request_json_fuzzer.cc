// Fuzzes gateway/model_request_json.h: the model server's POST /model body parser on arbitrary
// bytes, and the GET /best-models query parser on the same bytes read as a query string
// ("k=v&k=v", split on '&' and the first '=').
//
// Invariants:
// - Neither parser crashes; a rejection is InvalidArgument with a message.
// - An accepted /model request has AbsPower or DynPower, a known (normalised) source, machine
//   spec numbers that are never negative (0 means "no value"), and survives a proto
//   serialisation round trip unchanged.
// - An accepted /best-models query names a known energy source and valid output types.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "core/energy_source.h"
#include "fuzz/fuzz_check.h"
#include "gateway/model_request_json.h"

namespace {

namespace v1 = kepler::model::v1;
using kepler::model::core::IsKnownSource;

void CheckRejected(const absl::Status& status) {
  FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument, "not InvalidArgument");
  FUZZ_CHECK(!status.message().empty(), "empty error message");
}

bool IsOutputType(v1::OutputType type) { return type == v1::AbsPower || type == v1::DynPower; }

void CheckModelRequest(absl::string_view body) {
  auto request = kepler::model::gateway::ParseModelRequestJson(body);
  if (!request.ok()) return CheckRejected(request.status());
  FUZZ_CHECK(IsOutputType(request->output_type()), "accepted an unknown output type");
  FUZZ_CHECK(IsKnownSource(request->source()), "accepted an unknown source");
  const v1::MachineSpec& spec = request->machine_spec();
  FUZZ_CHECK(spec.cores() >= 0 && spec.chips() >= 0 && spec.memory() >= 0 &&
                 spec.frequency() >= 0,
             "negative machine spec number");
  const std::string wire = request->SerializeAsString();
  v1::GetModelRequest again;
  FUZZ_CHECK(again.ParseFromString(wire) && again.SerializeAsString() == wire,
             "request does not survive a proto round trip");
}

void CheckBestModelsQuery(absl::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  for (absl::string_view pair : absl::StrSplit(query, '&')) {
    params.push_back(absl::StrSplit(pair, absl::MaxSplits('=', 1)));
  }
  auto request = kepler::model::gateway::ParseBestModelsQuery(params);
  if (!request.ok()) return CheckRejected(request.status());
  FUZZ_CHECK(IsKnownSource(request->energy_source()), "accepted an unknown energy source");
  for (int type : request->output_type()) {
    FUZZ_CHECK(IsOutputType(static_cast<v1::OutputType>(type)), "accepted an unknown output type");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  CheckModelRequest(text);
  CheckBestModelsQuery(text);
  return 0;
}
