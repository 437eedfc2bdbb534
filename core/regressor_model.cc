#include "core/regressor_model.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace kepler::model::core {
namespace {

class RegressorModel final : public Model {
 public:
  struct Part {
    std::shared_ptr<const Regressor> regressor;
    std::vector<size_t> columns;  // into features()
    std::vector<double> scale;    // one per column
  };

  RegressorModel(std::vector<std::string> features, std::vector<std::string> components,
                 std::vector<Part> parts)
      : Model(std::move(features), std::move(components)),
        family_(parts.front().regressor->family()),
        parts_(std::move(parts)) {}

  absl::string_view family() const override { return family_; }

 protected:
  absl::StatusOr<ComponentPowers> Evaluate(const double* x, size_t rows) const override {
    ComponentPowers out;
    out.reserve(parts_.size());
    for (const Part& part : parts_) out.push_back(PredictPart(part, x, rows));
    return out;
  }

 private:
  std::vector<double> PredictPart(const Part& part, const double* x, size_t rows) const {
    const size_t width = features().size(), cols = part.columns.size();
    std::vector<double> scaled(rows * cols);
    for (size_t r = 0; r < rows; ++r) {
      for (size_t j = 0; j < cols; ++j) {
        scaled[r * cols + j] = x[r * width + part.columns[j]] / part.scale[j];
      }
    }
    std::vector<double> y(rows);
    part.regressor->Predict(scaled.data(), rows, y.data());
    return y;
  }

  const std::string family_;
  const std::vector<Part> parts_;
};

absl::StatusOr<RegressorModel::Part> MakePart(const RegressorComponent& spec,
                                              std::vector<std::string>* features) {
  const auto invalid = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat("model component ", spec.name, ": ", what));
  };
  if (spec.regressor == nullptr) return invalid("no regressor");
  const size_t n = spec.regressor->num_features();
  if (n != spec.features.size()) {
    return invalid(absl::StrCat(spec.regressor->family(), " reads ", n, " features, ",
                                spec.features.size(), " named"));
  }
  RegressorModel::Part part{spec.regressor, {}, spec.scale};
  if (part.scale.empty()) part.scale.assign(n, 1.0);
  if (part.scale.size() != n) return invalid("scale and features differ in length");
  for (double s : part.scale) {
    if (!(s > 0) || !std::isfinite(s)) return invalid(absl::StrCat("invalid scale ", s));
  }
  for (const std::string& feature : spec.features) {
    auto it = std::find(features->begin(), features->end(), feature);
    part.columns.push_back(it - features->begin());
    if (it == features->end()) features->push_back(feature);
  }
  return part;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Model>> MakeRegressorModel(
    std::vector<RegressorComponent> components) {
  if (components.empty()) return absl::InvalidArgumentError("model has no component");
  std::vector<std::string> features, names;
  std::vector<RegressorModel::Part> parts;
  for (const RegressorComponent& spec : components) {
    ASSIGN_OR_RETURN(RegressorModel::Part part, MakePart(spec, &features));
    names.push_back(spec.name);
    parts.push_back(std::move(part));
  }
  return std::make_shared<const RegressorModel>(std::move(features), std::move(names),
                                                std::move(parts));
}

}  // namespace kepler::model::core
