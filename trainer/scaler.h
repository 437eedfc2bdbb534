// The MaxAbs scaler of a trainer's node type (contract §7.2 step 1, §2.6 "scale").
//
// What: scale[j] = max_i |x_ij| over the training rows, or 1 where that maximum is 0 (as
// scikit-learn's MaxAbsScaler); Transform divides each column by its scale.
// Why: every family of one node type trains on the same scaled columns, and the weight documents
// publish these scales so Kepler can scale raw values itself.
// How: `Fit` on all rows of the node type (train and test, as the reference), then `Transform`.
// `ToJson` writes the portable `scaler.json` of docs/model-format.md, which `FromJson` and core's
// model loader read back. Unlike the reference (§11.20) a scaler is always refitted, never reused
// from an earlier training.
//
// Thread-safety: immutable after construction; all methods are const and reentrant.
#ifndef KEPLER_TRAINER_SCALER_H_
#define KEPLER_TRAINER_SCALER_H_

#include <string>
#include <vector>

#include "Eigen/Core"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kepler::model::trainer {

class MaxAbsScaler {
 public:
  // Fits on `x` (rows x features). InvalidArgument when a value is not finite or
  // `features.size()` differs from the column count. Zero rows give scale 1 everywhere.
  static absl::StatusOr<MaxAbsScaler> Fit(const Eigen::MatrixXd& x,
                                          std::vector<std::string> features);

  // Reads ToJson() output. InvalidArgument when malformed or a scale is not positive and finite.
  static absl::StatusOr<MaxAbsScaler> FromJson(absl::string_view json);

  // `x` with column j divided by scale()[j]. `x` must have features().size() columns.
  Eigen::MatrixXd Transform(const Eigen::MatrixXd& x) const;

  // {"type": "MaxAbsScaler", "features": [...], "scale": [...]}.
  absl::StatusOr<std::string> ToJson() const;

  const std::vector<std::string>& features() const { return features_; }
  const std::vector<double>& scale() const { return scale_; }

 private:
  MaxAbsScaler(std::vector<std::string> features, std::vector<double> scale)
      : features_(std::move(features)), scale_(std::move(scale)) {}

  std::vector<std::string> features_;
  std::vector<double> scale_;
};

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_SCALER_H_
