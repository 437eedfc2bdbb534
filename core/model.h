// The power-model interface: rows of feature values in, watts per component out.
//
// What: a Model names the input features it reads and the power components it predicts
// (package, core, uncore, dram, or platform), and evaluates rows of feature values. Families:
// linear and curve-fit weight documents (core/weight_model.h), xgboost (core/xgboost_model.h);
// core/model_loader.h builds the right one from a model's files.
// Why: the estimator, the model server's checks and the trainer's metrics all evaluate models the
// same way; the reference's rules live here once: columns are picked by name, negative watts are
// clamped to 0, and an empty batch is an empty answer, not an error.
// How: build a FeatureTable (any column order, extra columns allowed) and call Predict(). The
// result holds one vector per component, in components() order, with one value per row.
//
// Thread-safety and ownership: a Model is immutable once built and is shared as
// std::shared_ptr<const Model>; Predict() is const and safe to call from many threads at once.
#ifndef KEPLER_CORE_MODEL_H_
#define KEPLER_CORE_MODEL_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kepler::model::core {

// Rows of feature values with named columns, stored row-major: the value of column c in row r is
// values[r * columns.size() + c].
struct FeatureTable {
  std::vector<std::string> columns;
  std::vector<double> values;

  // Number of rows (0 when there are no columns).
  size_t rows() const { return columns.empty() ? 0 : values.size() / columns.size(); }
};

// Watts per component, per row: predictions[component][row].
using ComponentPowers = std::vector<std::vector<double>>;

class Model {
 public:
  virtual ~Model() = default;
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  // Names of the input features the model reads, in its own order.
  const std::vector<std::string>& features() const { return features_; }
  // Components it predicts, in output order.
  const std::vector<std::string>& components() const { return components_; }
  // Short name of the model family, e.g. "linear-weights", "xgboost", for logs and errors.
  virtual absl::string_view family() const = 0;

  // Predicts every row of `table`. Columns are matched by name; extra columns are ignored.
  // InvalidArgument when a feature column is missing (naming it), the table's values do not fill
  // whole rows, an input is NaN or infinite, or the model yields NaN or +infinity. Negative
  // predictions (and -infinity) become 0. Zero rows give one empty vector per component.
  [[nodiscard]] absl::StatusOr<ComponentPowers> Predict(const FeatureTable& table) const;

 protected:
  Model(std::vector<std::string> features, std::vector<std::string> components);

  // Evaluates `rows` rows of `x`, row-major, with exactly features().size() columns in
  // features() order (rows > 0, all values finite). Returns [component][row]; clamping and
  // checks are done by Predict().
  virtual absl::StatusOr<ComponentPowers> Evaluate(const double* x, size_t rows) const = 0;

 private:
  // Gathers the model's features out of `table` into a row-major matrix.
  absl::StatusOr<std::vector<double>> SelectFeatures(const FeatureTable& table) const;
  // Clamps negatives to 0 and rejects NaN/+inf and wrongly shaped output.
  absl::Status Finish(size_t rows, ComponentPowers* powers) const;

  const std::vector<std::string> features_;
  const std::vector<std::string> components_;
};

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_MODEL_H_
