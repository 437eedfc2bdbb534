// Fuzzes core/xgboost_forest.h: the reader of xgboost JSON models, which arrive inside model
// archives from model databases over the network.
//
// Invariants:
// - FromJson never crashes or hangs; a rejection is InvalidArgument with a message.
// - An accepted forest predicts without crashing on any input, NaN and infinities included, and
//   its precomputed table (when it builds one) predicts bit for bit what walking the trees does.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/xgboost_forest.h"
#include "fuzz/fuzz_check.h"

using kepler::model::core::XgboostForest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view json(reinterpret_cast<const char*>(data), size);
  auto forest = XgboostForest::FromJson(json);
  if (!forest.ok()) {
    FUZZ_CHECK(forest.status().code() == absl::StatusCode::kInvalidArgument, "not InvalidArgument");
    FUZZ_CHECK(!forest.status().message().empty(), "empty error message");
    return 0;
  }
  auto walker = XgboostForest::FromJson(json, /*allow_table=*/false);
  FUZZ_CHECK(walker.ok(), "accepted with a table, rejected without");
  const size_t width = forest->num_features();
  if (width > 64) return 0;
  const double specials[] = {0.0, -1.5, 0.25, 3.0, 1e300, -1e300,
                             std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN()};
  const size_t rows = sizeof(specials) / sizeof(specials[0]);
  std::vector<double> x(rows * width);
  for (size_t i = 0; i < x.size(); ++i) x[i] = specials[(i * 7 + i / width) % rows];
  std::vector<double> a(rows), b(rows);
  forest->Predict(x.data(), rows, a.data());
  walker->Predict(x.data(), rows, b.data());
  for (size_t r = 0; r < rows; ++r) {
    FUZZ_CHECK(std::memcmp(&a[r], &b[r], sizeof(double)) == 0 || (std::isnan(a[r]) && std::isnan(b[r])),
               "table and tree walk disagree");
  }
  return 0;
}
