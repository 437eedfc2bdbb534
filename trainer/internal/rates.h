// Counter-to-rate rules shared by the extractor's power and feature paths (internal).
//
// The contract (§5.3): a rate is the first difference divided by the time difference of the same
// two samples (per-row gaps; the reference's scalar mean gap for power is §11.15, fixed here).
// A negative rate (a counter reset) or a non-finite one (NaN or infinite samples) is replaced by
// the previous row's rate; before the first valid rate it is 0.
//
// Thread-safety: pure functions.
#ifndef KEPLER_TRAINER_INTERNAL_RATES_H_
#define KEPLER_TRAINER_INTERNAL_RATES_H_

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/types/span.h"

namespace kepler::model::trainer::internal {

// rates[i] (i >= 1) is the rate over (t[i-1], t[i]] by the rule above; rates[0] = 0, standing
// for the first sample that has no predecessor. `rates` is resized to t.size().
inline void CounterRates(absl::Span<const double> t, absl::Span<const double> v,
                         std::vector<double>* rates) {
  rates->resize(t.size());
  if (t.empty()) return;
  double previous = 0;
  (*rates)[0] = 0;
  for (size_t i = 1; i < t.size(); ++i) {
    double rate = (v[i] - v[i - 1]) / (t[i] - t[i - 1]);
    if (!(rate >= 0) || std::isinf(rate)) rate = previous;  // reset, NaN or infinity
    (*rates)[i] = rate;
    previous = rate;
  }
}

// For each t[i], the index of the equal value in the sorted `grid`, or -1. Both sorted: one walk.
inline void MatchGrid(absl::Span<const double> t, const std::vector<double>& grid,
                      std::vector<int32_t>* match) {
  match->resize(t.size());
  if (t.empty()) return;
  size_t j = std::lower_bound(grid.begin(), grid.end(), t[0]) - grid.begin();
  for (size_t i = 0; i < t.size(); ++i) {
    while (j < grid.size() && grid[j] < t[i]) ++j;
    (*match)[i] = (j < grid.size() && grid[j] == t[i]) ? static_cast<int32_t>(j) : -1;
  }
}

}  // namespace kepler::model::trainer::internal

#endif  // KEPLER_TRAINER_INTERNAL_RATES_H_
