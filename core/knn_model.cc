#include "core/knn_model.h"

#include <cmath>
#include <exception>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/internal/json_arrays.h"
#include "core/status_macros.h"
#include "nanoflann.hpp"

namespace kepler::model::core {
namespace {

constexpr int32_t kMaxInt = std::numeric_limits<int32_t>::max();

absl::Status Invalid(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("k-neighbours model: ", what));
}

// nanoflann's view of the training points.
struct PointCloud {
  const KNeighborsParams* params;

  size_t kdtree_get_point_count() const { return params->fit_y.size(); }
  double kdtree_get_pt(size_t point, size_t dim) const {
    return params->fit_x[point * params->n_features + dim];
  }
  template <class BBox>
  bool kdtree_get_bbox(BBox&) const { return false; }
};

using KdTree = nanoflann::KDTreeSingleIndexAdaptor<
    nanoflann::L2_Simple_Adaptor<double, PointCloud>, PointCloud, -1, size_t>;

class KNeighborsRegressor final : public Regressor {
 public:
  // Builds the index; nanoflann may throw (allocation), so construction is wrapped by Create.
  static absl::StatusOr<std::shared_ptr<const Regressor>> Create(KNeighborsParams params) {
    try {
      return std::shared_ptr<const Regressor>(new KNeighborsRegressor(std::move(params)));
    } catch (const std::exception& e) {
      return absl::ResourceExhaustedError(absl::StrCat("k-neighbours index: ", e.what()));
    }
  }

  size_t num_features() const override { return params_.n_features; }
  absl::string_view family() const override { return "k-neighbors"; }

  void Predict(const double* x, size_t rows, double* out) const override {
    const size_t k = params_.n_neighbors, width = params_.n_features;
    std::vector<size_t> index(k);
    std::vector<double> distance(k);
    for (size_t r = 0; r < rows; ++r) {
      const size_t found = tree_.knnSearch(x + r * width, k, index.data(), distance.data());
      double sum = 0;
      for (size_t i = 0; i < found; ++i) sum += params_.fit_y[index[i]];
      out[r] = sum / static_cast<double>(found);
    }
  }

 private:
  explicit KNeighborsRegressor(KNeighborsParams params)
      : params_(std::move(params)),
        cloud_{&params_},
        tree_(params_.n_features, cloud_, nanoflann::KDTreeSingleIndexAdaptorParams(10)) {}

  const KNeighborsParams params_;
  const PointCloud cloud_;
  KdTree tree_;  // built in the constructor; only const (thread-safe) queries afterwards
};

}  // namespace

absl::Status ValidateKNeighbors(const KNeighborsParams& params) {
  if (params.n_neighbors < 1) return Invalid("n_neighbors must be >= 1");
  if (params.n_features < 1) return Invalid("n_features must be >= 1");
  if (params.fit_x.size() != params.fit_y.size() * params.n_features) {
    return Invalid("fit_X and fit_y differ in length");
  }
  if (params.fit_y.size() < static_cast<size_t>(params.n_neighbors)) {
    return Invalid(absl::StrCat("needs at least ", params.n_neighbors, " points, has ",
                                params.fit_y.size()));
  }
  for (double v : params.fit_x) {
    if (!std::isfinite(v)) return Invalid("fit_X holds a non-finite number");
  }
  for (double v : params.fit_y) {
    if (!std::isfinite(v)) return Invalid("fit_y holds a non-finite number");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> KNeighborsToJson(const KNeighborsParams& params) {
  RETURN_IF_ERROR(ValidateKNeighbors(params));
  rapidjson::Document doc = internal::NewModelFile(kKNeighborsModelName);
  internal::AddInt(&doc, &doc, "n_neighbors", params.n_neighbors);
  internal::AddInt(&doc, &doc, "n_features", params.n_features);
  internal::AddRows(&doc, &doc, "fit_X", params.fit_x, params.n_features);
  internal::AddDoubles(&doc, &doc, "fit_y", params.fit_y);
  return internal::ToJsonText(doc);
}

absl::StatusOr<KNeighborsParams> KNeighborsFromJson(absl::string_view json) {
  ASSIGN_OR_RETURN(rapidjson::Document doc, internal::ParseModelFile(json, kKNeighborsModelName));
  KNeighborsParams params;
  ASSIGN_OR_RETURN(int64_t k, internal::GetInt(doc, "n_neighbors", 1, kMaxInt));
  ASSIGN_OR_RETURN(int64_t n_features, internal::GetInt(doc, "n_features", 1, kMaxInt));
  params.n_neighbors = static_cast<int32_t>(k);
  params.n_features = static_cast<int32_t>(n_features);
  ASSIGN_OR_RETURN(params.fit_x, internal::GetRows(doc, "fit_X", params.n_features));
  ASSIGN_OR_RETURN(params.fit_y, internal::GetDoubles(doc, "fit_y"));
  RETURN_IF_ERROR(ValidateKNeighbors(params));
  return params;
}

absl::StatusOr<std::shared_ptr<const Regressor>> MakeKNeighborsRegressor(KNeighborsParams params) {
  RETURN_IF_ERROR(ValidateKNeighbors(params));
  return KNeighborsRegressor::Create(std::move(params));
}

}  // namespace kepler::model::core
