// The MaxAbsScaler of a published model, read from its `scaler.pkl` without running Python.
//
// What: kepler-model-db archives hold `scaler.pkl`, a scikit-learn MaxAbsScaler dumped with
// joblib; models divide each input column by the scaler's `scale_` before predicting
// (reference-behaviour §1.7). ReadMaxAbsScalerPickle extracts `scale_` and `n_features_in_`.
// Why: every published model scales its inputs with this pickle; it must be read exactly and
// without executing anything.
// How: the pickle goes through the scikit-learn whitelist (core/sklearn/sklearn_pickle.h): any
// other global or opcode is InvalidArgument ("unsupported pickle global os.system"). Arrays may
// be joblib-wrapped (published files, also zlib-compressed) or plain numpy reductions (pickle
// protocols 2-5).
//
// Thread-safety: reentrant; no shared state.
#ifndef KEPLER_CORE_PICKLE_SCALER_H_
#define KEPLER_CORE_PICKLE_SCALER_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kepler::model::core {

// A fitted MaxAbsScaler: x_scaled[j] = x[j] / scale[j].
struct MaxAbsScale {
  // One positive, finite divisor per input feature, in the model's feature order.
  std::vector<double> scale;
  // Number of features the scaler was fitted on (== scale.size()).
  int64_t n_features_in = 0;
};

// Reads a pickled sklearn MaxAbsScaler. InvalidArgument when the bytes are not such a pickle,
// use anything outside the whitelist, or hold a scale_ that is not a 1-D float64 array of
// positive finite numbers matching n_features_in_.
[[nodiscard]] absl::StatusOr<MaxAbsScale> ReadMaxAbsScalerPickle(absl::string_view pickle_bytes);

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_PICKLE_SCALER_H_
