// SVRRegressorTrainer: epsilon support-vector regression with an RBF kernel (contract §7.3).
//
// What: scikit-learn's SVR(C=1.0, epsilon=0.2) with its other defaults: RBF kernel, gamma
// "scale" = 1 / (n_features * variance of all values of the training matrix) (1 when that
// variance is 0), tolerance 1e-3, shrinking on, a 200 MB kernel cache. It is solved with libsvm,
// the solver scikit-learn itself wraps; the fitted support vectors, dual coefficients, intercept
// and gamma are core/svr_model.h's portable JSON, which the estimator evaluates without libsvm.
// Why: the reference's SVRRegressorTrainer, without Python.
// How: MakeTrainer(v1::SVRRegressorTrainer, context) or construct with Options; then Fit,
// Predict, SaveJson as trainer.h describes; LoadTrainer (or FromJson) rebuilds a fitted one.
// libsvm's progress output is silenced. A fit costs O(rows^2) kernel evaluations at worst.
// Deliberate deviation (README "Training pipeline"): a fit on more than Options::max_rows rows
// solves on max_rows evenly spaced rows (a uniform sample of the pipeline's shuffled split) with
// C scaled by rows / max_rows, so that C·Σ loss over the sample estimates the full objective's
// C·Σ loss; gamma "scale" still comes from every row. At C = 1 on watts nearly every row is a
// bounded support vector, so the sum's size matters: without the scaling a sample's MAE is
// several times worse (3.5x for 2,000 of 6,480 rows), with it within a few percent of the full
// fit (README "Training pipeline"; tools/parity/capture_parity.py).
// It bounds a fit's time and its kernel cache (max_rows^2 floats) whatever the capture's length.
//
// Thread-safety: as trainer.h: not thread-safe while fitting; const methods may run concurrently.
// Different trainers may fit concurrently (libsvm keeps no global state besides its print hook,
// which is set once).
#ifndef KEPLER_TRAINER_SVR_TRAINER_H_
#define KEPLER_TRAINER_SVR_TRAINER_H_

#include <memory>
#include <string>
#include <vector>

#include "Eigen/Core"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "core/regressor_model.h"
#include "core/svr_model.h"
#include "trainer/trainer.h"

namespace kepler::model::trainer {

// Hyper-parameters; the defaults are the reference's (scikit-learn's SVR defaults otherwise).
struct SvrOptions {
  double c = 1.0;             // regularisation C
  double epsilon = 0.2;       // width of the insensitive tube, in watts
  double tolerance = 1e-3;    // stopping tolerance of the solver
  bool shrinking = true;      // libsvm's shrinking heuristic
  double cache_mb = 200;      // kernel cache
  // Most rows a fit solves on (see the file comment); 0: no bound. Default 1500 (75 minutes at a
  // 3 s step): the sample's test MAE was within 2.3% of the full fit's on every table of the 2-
  // and 6-hour generated captures (1000 rows: up to 5.6% worse).
  int max_rows = 1500;
  absl::optional<double> gamma;  // RBF width; nullopt: "scale" (see the file comment)
};

class SVRRegressorTrainer final : public Trainer {
 public:
  using Options = SvrOptions;

  explicit SVRRegressorTrainer(Options options = {}) : options_(options) {}

  // A fitted trainer from SaveJson() text; InvalidArgument when it is not a valid SVR model file.
  static absl::StatusOr<std::unique_ptr<SVRRegressorTrainer>> FromJson(absl::string_view json);

  v1::TrainerName name() const override { return v1::SVRRegressorTrainer; }
  // Internal when libsvm rejects the parameters or cannot allocate.
  [[nodiscard]] absl::Status Fit(const Eigen::MatrixXd& x_scaled,
                                 const Eigen::VectorXd& y) override;
  Eigen::VectorXd Predict(const Eigen::MatrixXd& x_scaled) const override;
  [[nodiscard]] absl::StatusOr<std::string> SaveJson() const override;

  // The fitted machine; nullopt before a successful Fit.
  const absl::optional<core::SvrParams>& params() const { return params_; }

  // gamma "scale" for `x`: 1 / (cols * population variance of all entries), 1 when that is 0 or
  // all entries are equal (where numpy's rounding can leave a variance of 1e-32).
  static double ScaleGamma(const Eigen::MatrixXd& x);

  // Positions of the `max_rows` rows a fit of `rows` rows uses: round(i (rows-1) / (max_rows-1)),
  // ascending and distinct; every row when rows <= max_rows or max_rows is 0.
  static std::vector<Eigen::Index> SampleRows(Eigen::Index rows, int max_rows);

 private:
  // Installs `params` as the fitted model.
  absl::Status Adopt(core::SvrParams params);

  const Options options_;
  absl::optional<core::SvrParams> params_;
  std::shared_ptr<const core::Regressor> regressor_;
};

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_SVR_TRAINER_H_
