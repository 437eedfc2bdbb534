#include "trainer/svr_trainer.h"

#include <cmath>
#include <exception>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "libsvm/svm.h"
#include "trainer/internal/fit_data.h"

namespace kepler::model::trainer {
namespace {

void Quiet(const char*) {}

// libsvm's problem over `x`: every row as index:value nodes (1-based, all columns, zeros
// included), ended by index -1. The nodes must outlive the model, whose support vectors point
// into them.
struct SvmProblem {
  std::vector<svm_node> nodes;
  std::vector<svm_node*> rows;
  std::vector<double> y;
  svm_problem problem{};

  SvmProblem(const Eigen::MatrixXd& x, const Eigen::VectorXd& target)
      : nodes(static_cast<size_t>(x.rows()) * (x.cols() + 1)), y(target.data(), target.data() + target.size()) {
    const Eigen::Index width = x.cols() + 1;
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
      svm_node* row = &nodes[r * width];
      for (Eigen::Index c = 0; c < x.cols(); ++c) row[c] = {static_cast<int>(c + 1), x(r, c)};
      row[x.cols()] = {-1, 0.0};
      rows.push_back(row);
    }
    problem.l = static_cast<int>(x.rows());
    problem.y = y.data();
    problem.x = rows.data();
  }
};

svm_parameter SvmParameters(const SvrOptions& options, double gamma) {
  svm_parameter p{};
  p.svm_type = EPSILON_SVR;
  p.kernel_type = RBF;
  p.degree = 3;
  p.gamma = gamma;
  p.coef0 = 0;
  p.cache_size = options.cache_mb;
  p.eps = options.tolerance;
  p.C = options.c;
  p.nr_weight = 0;
  p.nu = 0.5;
  p.p = options.epsilon;
  p.shrinking = options.shrinking ? 1 : 0;
  p.probability = 0;
  return p;
}

// Copies the fitted machine out of libsvm's model (support vectors as dense rows).
core::SvrParams Extract(const svm_model& model, int32_t n_features, double gamma) {
  core::SvrParams params;
  params.n_features = n_features;
  params.gamma = gamma;
  params.intercept = -model.rho[0];
  params.support_vectors.assign(static_cast<size_t>(model.l) * n_features, 0.0);
  for (int i = 0; i < model.l; ++i) {
    params.dual_coef.push_back(model.sv_coef[0][i]);
    for (const svm_node* node = model.SV[i]; node->index != -1; ++node) {
      if (node->index >= 1 && node->index <= n_features) {
        params.support_vectors[static_cast<size_t>(i) * n_features + node->index - 1] = node->value;
      }
    }
  }
  return params;
}

// Runs libsvm; no exception escapes (it allocates with new in places).
absl::StatusOr<core::SvrParams> Solve(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                      const SvrOptions& options, double gamma) {
  static std::once_flag quiet;
  std::call_once(quiet, [] { svm_set_print_string_function(&Quiet); });
  try {
    SvmProblem problem(x, y);
    const svm_parameter parameters = SvmParameters(options, gamma);
    if (const char* error = svm_check_parameter(&problem.problem, &parameters)) {
      return absl::InternalError(absl::StrCat("libsvm: ", error));
    }
    svm_model* model = svm_train(&problem.problem, &parameters);
    if (model == nullptr) return absl::InternalError("libsvm: training failed");
    core::SvrParams params = Extract(*model, static_cast<int32_t>(x.cols()), gamma);
    svm_free_and_destroy_model(&model);
    return params;
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("libsvm: ", e.what()));
  }
}

}  // namespace

double SVRRegressorTrainer::ScaleGamma(const Eigen::MatrixXd& x) {
  // numpy's two-pass variance of a constant matrix can be 1e-32 rather than 0 (e.g. all 0.7),
  // which would make gamma explode; a constant matrix is exactly "variance 0" here.
  if (x.size() == 0 || x.maxCoeff() == x.minCoeff()) return 1.0;
  const double variance = (x.array() - x.mean()).square().mean();
  return variance != 0 ? 1.0 / (static_cast<double>(x.cols()) * variance) : 1.0;
}

absl::StatusOr<std::unique_ptr<SVRRegressorTrainer>> SVRRegressorTrainer::FromJson(
    absl::string_view json) {
  ASSIGN_OR_RETURN(core::SvrParams params, core::SvrFromJson(json));
  Options options;
  options.gamma = params.gamma;
  auto trainer = std::make_unique<SVRRegressorTrainer>(options);
  RETURN_IF_ERROR(trainer->Adopt(std::move(params)));
  return trainer;
}

std::vector<Eigen::Index> SVRRegressorTrainer::SampleRows(Eigen::Index rows, int max_rows) {
  std::vector<Eigen::Index> out;
  if (max_rows <= 0 || rows <= max_rows) {
    for (Eigen::Index r = 0; r < rows; ++r) out.push_back(r);
    return out;
  }
  if (max_rows == 1) return {0};
  const double step = static_cast<double>(rows - 1) / (max_rows - 1);
  for (int i = 0; i < max_rows; ++i) out.push_back(std::llround(i * step));
  return out;
}

absl::Status SVRRegressorTrainer::Fit(const Eigen::MatrixXd& x_scaled, const Eigen::VectorXd& y) {
  params_.reset();
  regressor_.reset();
  RETURN_IF_ERROR(internal::CheckFitData(x_scaled, y));
  const double gamma = options_.gamma ? *options_.gamma : ScaleGamma(x_scaled);
  const std::vector<Eigen::Index> sample = SampleRows(x_scaled.rows(), options_.max_rows);
  if (static_cast<Eigen::Index>(sample.size()) == x_scaled.rows()) {
    ASSIGN_OR_RETURN(core::SvrParams params, Solve(x_scaled, y, options_, gamma));
    return Adopt(std::move(params));
  }
  SvrOptions options = options_;
  options.c *= static_cast<double>(x_scaled.rows()) / sample.size();
  ASSIGN_OR_RETURN(core::SvrParams params,
                   Solve(x_scaled(sample, Eigen::all), y(sample), options, gamma));
  return Adopt(std::move(params));
}

Eigen::VectorXd SVRRegressorTrainer::Predict(const Eigen::MatrixXd& x_scaled) const {
  return internal::PredictWith(regressor_.get(), x_scaled);
}

absl::StatusOr<std::string> SVRRegressorTrainer::SaveJson() const {
  if (!params_) return absl::FailedPreconditionError("SVR trainer is not fitted");
  return core::SvrToJson(*params_);
}

absl::Status SVRRegressorTrainer::Adopt(core::SvrParams params) {
  ASSIGN_OR_RETURN(regressor_, core::MakeSvrRegressor(params));
  params_ = std::move(params);
  return absl::OkStatus();
}

namespace {

TrainerFamily SvrFamily() {
  TrainerFamily family;
  family.make = [](const TrainerContext&) -> std::unique_ptr<Trainer> {
    return std::make_unique<SVRRegressorTrainer>();
  };
  family.load = [](absl::string_view json,
                   const TrainerContext&) -> absl::StatusOr<std::unique_ptr<Trainer>> {
    ASSIGN_OR_RETURN(auto trainer, SVRRegressorTrainer::FromJson(json));
    return std::unique_ptr<Trainer>(std::move(trainer));
  };
  return family;
}

KEPLER_REGISTER_TRAINER(v1::SVRRegressorTrainer, SvrFamily());

}  // namespace
}  // namespace kepler::model::trainer
