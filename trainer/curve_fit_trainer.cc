#include "trainer/curve_fit_trainer.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/regression_math.h"
#include "unsupported/Eigen/LevenbergMarquardt"

namespace kepler::model::trainer {
namespace {

// Residuals f(x; p) − y of one curve and their analytic Jacobian, for Eigen's LM.
// Both are whole-array expressions (Eigen's vectorised log and exp; they may differ from
// core::EvaluateCurve's libm calls in the last bit, which the fit does not notice). The curve's
// inner term — log(b·x+1), e^{b·x} or the logistic's sigmoid — is kept from the last
// evaluation: MINPACK asks for the Jacobian at the point it has just evaluated and accepted,
// which is then one division or product away.
struct CurveResiduals : Eigen::DenseFunctor<double> {
  CurveResiduals(core::CurveKind kind, const Eigen::VectorXd& x, const Eigen::VectorXd& y)
      : DenseFunctor<double>(static_cast<int>(core::CurveParamCount(kind)),
                             static_cast<int>(x.size())),
        kind(kind), x(x.array()), y(y.array()) {}

  // Non-finite residuals are returned as they are: MINPACK then rejects the step and shortens
  // it, as it does in SciPy.
  int operator()(const InputType& p, ValueType& fvec) const {
    Term(p);
    switch (kind) {
      case core::CurveKind::kLogarithmic:
      case core::CurveKind::kExponential:
        fvec = (p[0] * term + p[2] - y).matrix();
        break;
      case core::CurveKind::kLogistic:
        fvec = (p[0] * term + p[3] - y).matrix();
        break;
    }
    return 0;
  }

  int df(const InputType& p, JacobianType& jac) const {
    if (term_at.size() != p.size() || p != term_at) Term(p);
    switch (kind) {
      case core::CurveKind::kLogarithmic:
        jac.col(0) = term.matrix();
        jac.col(1) = (p[0] * x / (p[1] * x + 1.0)).matrix();
        jac.col(2).setOnes();
        break;
      case core::CurveKind::kExponential:
        jac.col(0) = term.matrix();
        jac.col(1) = (p[0] * x * term).matrix();
        jac.col(2).setOnes();
        break;
      case core::CurveKind::kLogistic: {
        const Eigen::ArrayXd ds = p[0] * term * (1.0 - term);  // d f / d (k (x − x0))
        jac.col(0) = term.matrix();
        jac.col(1) = (-p[2] * ds).matrix();
        jac.col(2) = ((x - p[1]) * ds).matrix();
        jac.col(3).setOnes();
        break;
      }
    }
    return 0;
  }

  // Sets `term` to the curve's inner term at `p`.
  void Term(const InputType& p) const {
    switch (kind) {
      case core::CurveKind::kLogarithmic: term = (p[1] * x + 1.0).log(); break;
      case core::CurveKind::kExponential: term = (p[1] * x).exp(); break;
      case core::CurveKind::kLogistic: term = 1.0 / (1.0 + (-p[2] * (x - p[1])).exp()); break;
    }
    term_at = p;
  }

  core::CurveKind kind;
  const Eigen::ArrayXd x;
  const Eigen::ArrayXd y;
  mutable Eigen::ArrayXd term;
  mutable Eigen::VectorXd term_at;
};

bool Converged(Eigen::LevenbergMarquardtSpace::Status status) {
  using namespace Eigen::LevenbergMarquardtSpace;  // NOLINT: the enum's own namespace
  return status == RelativeReductionTooSmall || status == RelativeErrorTooSmall ||
         status == RelativeErrorAndReductionTooSmall || status == CosinusTooSmall;
}

}  // namespace

v1::TrainerName CurveFitTrainer::name() const {
  switch (kind_) {
    case core::CurveKind::kLogarithmic: return v1::LogarithmicRegressionTrainer;
    case core::CurveKind::kExponential: return v1::ExponentialRegressionTrainer;
    case core::CurveKind::kLogistic: return v1::LogisticRegressionTrainer;
  }
  return v1::TRAINER_NAME_UNSPECIFIED;
}

absl::StatusOr<Eigen::VectorXd> CurveFitTrainer::StartValues(core::CurveKind kind,
                                                             const Eigen::VectorXd& y) {
  const double lo = y.minCoeff();
  const double range = y.maxCoeff() - lo;
  switch (kind) {
    case core::CurveKind::kLogarithmic: return Eigen::Vector3d(range, 1.0, lo).eval();
    case core::CurveKind::kExponential: {
      const double a = std::floor(range / M_E);
      return Eigen::Vector3d(a, 1.0, lo - a).eval();
    }
    case core::CurveKind::kLogistic: {
      const double std_dev = std::sqrt((y.array() - y.mean()).square().mean());
      if (!(std_dev > 0)) {
        return absl::InvalidArgumentError("constant labels: the logistic start value needs std(y) > 0");
      }
      return Eigen::Vector4d(range, 0.5, std::floor(range / std_dev), lo).eval();
    }
  }
  return absl::InternalError("unknown curve");
}

absl::Status CurveFitTrainer::Fit(const Eigen::MatrixXd& x_scaled, const Eigen::VectorXd& y) {
  ClearFitted();
  const int n_params = static_cast<int>(core::CurveParamCount(kind_));
  RETURN_IF_ERROR(internal::CheckFitInput(x_scaled, y, n_params));
  if (feature_ < 0 || feature_ >= x_scaled.cols()) {
    return absl::InvalidArgumentError(absl::StrCat("main feature index ", feature_, " outside ",
                                                   x_scaled.cols(), " feature columns"));
  }
  ASSIGN_OR_RETURN(Eigen::VectorXd p, StartValues(kind_, y));
  const Eigen::VectorXd x = x_scaled.col(feature_);
  CurveResiduals residuals(kind_, x, y);
  Eigen::LevenbergMarquardt<CurveResiduals> lm(residuals);
  lm.setMaxfev(kMaxFunctionEvaluations);
  const Eigen::LevenbergMarquardtSpace::Status status = lm.minimize(p);
  if (!Converged(status) || !p.allFinite()) {
    return absl::AbortedError(absl::StrCat(core::CurveName(kind_),
                                           " curve fit did not converge (MINPACK info ",
                                           static_cast<int>(status), ")"));
  }
  core::LinearFamilyParams params;
  params.model = core::kCurveFitModelName;
  params.n_features = static_cast<int>(x_scaled.cols());
  params.curve = kind_;
  params.feature_index = feature_;
  params.params.assign(p.data(), p.data() + p.size());
  return SetFitted(std::move(params));
}

namespace {

TrainerFamily CurveFamily(core::CurveKind kind) {
  TrainerFamily family;
  family.make = [kind](const TrainerContext& context) -> std::unique_ptr<Trainer> {
    return std::make_unique<CurveFitTrainer>(kind, context);
  };
  family.load = [kind](absl::string_view json, const TrainerContext& context)
      -> absl::StatusOr<std::unique_ptr<Trainer>> {
    auto trainer = std::make_unique<CurveFitTrainer>(kind, context);
    RETURN_IF_ERROR(trainer->LoadJson(json, core::kCurveFitModelName));
    if (trainer->fitted()->curve != kind) {
      return absl::InvalidArgumentError(absl::StrCat("expected a ", core::CurveName(kind),
                                                     " curve, got ",
                                                     core::CurveName(trainer->fitted()->curve)));
    }
    return std::unique_ptr<Trainer>(std::move(trainer));
  };
  return family;
}

}  // namespace

KEPLER_REGISTER_TRAINER(v1::LogarithmicRegressionTrainer,
                        CurveFamily(core::CurveKind::kLogarithmic));
KEPLER_REGISTER_TRAINER(v1::ExponentialRegressionTrainer,
                        CurveFamily(core::CurveKind::kExponential));
KEPLER_REGISTER_TRAINER(v1::LogisticRegressionTrainer, CurveFamily(core::CurveKind::kLogistic));

}  // namespace kepler::model::trainer
