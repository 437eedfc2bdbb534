// Fuzzes core/pickle_scaler.h: the whitelisted pickle reader behind a published model's
// scaler.pkl, which arrives from model databases over the network.
//
// The reader executes nothing by construction (it records calls, never makes them); what the
// fuzzer guards is memory safety under ASan/UBSan, bounded cost, and the contract on success.
// Invariants:
// - ReadMaxAbsScalerPickle never crashes; a rejection is InvalidArgument with a message.
// - An accepted scaler has n_features_in == scale.size() and only positive finite divisors.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "core/pickle_scaler.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto scaler = kepler::model::core::ReadMaxAbsScalerPickle(bytes);
  if (!scaler.ok()) {
    FUZZ_CHECK(scaler.status().code() == absl::StatusCode::kInvalidArgument, "not InvalidArgument");
    FUZZ_CHECK(!scaler.status().message().empty(), "empty error message");
    return 0;
  }
  FUZZ_CHECK(scaler->n_features_in == static_cast<int64_t>(scaler->scale.size()),
             "n_features_in does not match scale");
  for (double s : scaler->scale) {
    FUZZ_CHECK(std::isfinite(s) && s > 0, "accepted a divisor that is not positive and finite");
  }
  return 0;
}
