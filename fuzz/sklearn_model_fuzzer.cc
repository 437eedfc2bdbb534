// Fuzzes the pickle machine (core/pickle/) and every scikit-learn family's loader
// (core/sklearn/): a component pickle, which arrives from model databases over the network.
//
// The machine executes nothing by construction (it records calls, never makes them); what the
// fuzzer guards is memory safety under ASan/UBSan, bounded cost, and the contract on success.
// Invariants:
// - ReadSklearnRegressor never crashes; a rejection is InvalidArgument or Unimplemented with a
//   message.
// - An accepted regressor reads the declared number of features and predicts a number for
//   every row without crashing, whatever the row values.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/sklearn/sklearn_model.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  // The first byte picks the feature count the component map would declare (1-4).
  const int n_features = 1 + data[0] % 4;
  const absl::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  auto regressor = kepler::model::core::sklearn::ReadSklearnRegressor(bytes, n_features);
  if (!regressor.ok()) {
    const absl::StatusCode code = regressor.status().code();
    FUZZ_CHECK(code == absl::StatusCode::kInvalidArgument ||
                   code == absl::StatusCode::kUnimplemented ||
                   code == absl::StatusCode::kResourceExhausted,
               "unexpected status code");
    FUZZ_CHECK(!regressor.status().message().empty(), "empty error message");
    return 0;
  }
  FUZZ_CHECK((*regressor)->num_features() == static_cast<size_t>(n_features),
             "regressor reads another feature count");
  const std::vector<double> rows = {0, 0, 0, 0, 1, 2, 3, 4, 1e6, -1e6, 0.5, 7};
  std::vector<double> out(3);
  (*regressor)->Predict(rows.data(), 12 / n_features < 3 ? 12 / n_features : 3, out.data());
  return 0;
}
