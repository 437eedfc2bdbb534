#include "trainer/scaler.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/json_util.h"
#include "core/portable_model.h"
#include "core/status_macros.h"

namespace kepler::model::trainer {

absl::StatusOr<MaxAbsScaler> MaxAbsScaler::Fit(const Eigen::MatrixXd& x,
                                               std::vector<std::string> features) {
  if (features.size() != static_cast<size_t>(x.cols())) {
    return absl::InvalidArgumentError(absl::StrCat("scaler: ", features.size(), " features for ",
                                                   x.cols(), " columns"));
  }
  if (!x.allFinite()) return absl::InvalidArgumentError("scaler: input is not finite");
  std::vector<double> scale(x.cols(), 1.0);
  for (Eigen::Index c = 0; c < x.cols() && x.rows() > 0; ++c) {
    const double max_abs = x.col(c).cwiseAbs().maxCoeff();
    if (max_abs > 0) scale[c] = max_abs;
  }
  return MaxAbsScaler(std::move(features), std::move(scale));
}

absl::StatusOr<MaxAbsScaler> MaxAbsScaler::FromJson(absl::string_view json) {
  ASSIGN_OR_RETURN(core::PortableScaler parsed, core::ParsePortableScaler(json));
  return MaxAbsScaler(std::move(parsed.features), std::move(parsed.scale));
}

Eigen::MatrixXd MaxAbsScaler::Transform(const Eigen::MatrixXd& x) const {
  const Eigen::Map<const Eigen::RowVectorXd> scale(scale_.data(),
                                                   static_cast<Eigen::Index>(scale_.size()));
  return (x.array().rowwise() / scale.array()).matrix();
}

absl::StatusOr<std::string> MaxAbsScaler::ToJson() const {
  return core::WritePortableScaler(core::PortableScaler{features_, scale_});
}

}  // namespace kepler::model::trainer
