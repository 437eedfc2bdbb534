#include "core/xgboost_model.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "core/xgboost_forest.h"

namespace kepler::model::core {
namespace {

class XgboostRegressor final : public Regressor {
 public:
  explicit XgboostRegressor(XgboostForest forest) : forest_(std::move(forest)) {}

  size_t num_features() const override { return forest_.num_features(); }
  absl::string_view family() const override { return "xgboost"; }
  void Predict(const double* x, size_t rows, double* out) const override {
    forest_.Predict(x, rows, out);
  }

 private:
  const XgboostForest forest_;
};

}  // namespace

absl::StatusOr<std::shared_ptr<const Regressor>> MakeXgboostRegressor(
    const std::string& model_bytes) {
  ASSIGN_OR_RETURN(XgboostForest forest, XgboostForest::FromJson(model_bytes));
  return std::make_shared<const XgboostRegressor>(std::move(forest));
}

absl::StatusOr<std::shared_ptr<const Model>> MakeXgboostModel(
    std::vector<XgboostComponent> components) {
  if (components.empty()) return absl::InvalidArgumentError("xgboost model has no component");
  std::vector<RegressorComponent> parts;
  for (XgboostComponent& spec : components) {
    auto regressor = MakeXgboostRegressor(spec.model_bytes);
    if (!regressor.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("xgboost model ", spec.name, ": ", regressor.status().message()));
    }
    parts.push_back({std::move(spec.name), *std::move(regressor), std::move(spec.features),
                     std::move(spec.scale)});
  }
  return MakeRegressorModel(std::move(parts));
}

}  // namespace kepler::model::core
