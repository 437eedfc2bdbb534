#include "trainer/xgboost_trainer.h"

#include <cmath>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "core/xgboost_model.h"
#include "trainer/internal/fit_data.h"
#include "xgboost/c_api.h"

namespace kepler::model::trainer {
namespace {

absl::Status XgbError(absl::string_view what,
                      absl::StatusCode code = absl::StatusCode::kInternal) {
  return absl::Status(code, absl::StrCat("xgboost: ", what, ": ", XGBGetLastError()));
}

// Owns a DMatrix of training rows (float32, as xgboost stores them) and labels.
class TrainingMatrix {
 public:
  ~TrainingMatrix() {
    if (handle_ != nullptr) XGDMatrixFree(handle_);
  }

  absl::Status Init(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows =
        x.cast<float>();
    if (XGDMatrixCreateFromMat(rows.data(), x.rows(), x.cols(), std::nanf(""), &handle_) != 0) {
      return XgbError("create training matrix");
    }
    const Eigen::VectorXf labels = y.cast<float>();
    if (XGDMatrixSetFloatInfo(handle_, "label", labels.data(), labels.size()) != 0) {
      return XgbError("set labels");
    }
    return absl::OkStatus();
  }

  DMatrixHandle handle() const { return handle_; }

 private:
  DMatrixHandle handle_ = nullptr;
};

// Owns a booster being trained (or inspected).
class TrainingBooster {
 public:
  ~TrainingBooster() {
    if (handle_ != nullptr) XGBoosterFree(handle_);
  }

  // A booster caching `train` (may be null), starting from `checkpoint` (may be empty).
  absl::Status Init(DMatrixHandle train, const std::string& checkpoint) {
    const bst_ulong caches = train != nullptr ? 1 : 0;
    if (XGBoosterCreate(&train, caches, &handle_) != 0) return XgbError("create booster");
    if (!checkpoint.empty() &&
        XGBoosterLoadModelFromBuffer(handle_, checkpoint.data(), checkpoint.size()) != 0) {
      return XgbError("load model", absl::StatusCode::kInvalidArgument);
    }
    return absl::OkStatus();
  }

  absl::Status SetParams(const XgboostOptions& o) {
    const std::pair<const char*, std::string> params[] = {
        {"objective", "reg:squarederror"}, {"eta", absl::StrCat(o.learning_rate)},
        {"max_depth", absl::StrCat(o.max_depth)}, {"nthread", absl::StrCat(o.threads)},
        {"seed", absl::StrCat(o.seed)}, {"verbosity", "1"}};
    for (const auto& [key, value] : params) {
      if (XGBoosterSetParam(handle_, key, value.c_str()) != 0) return XgbError(key);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<int> Rounds() const {
    int rounds = 0;
    if (XGBoosterBoostedRounds(handle_, &rounds) != 0) return XgbError("boosted rounds");
    return rounds;
  }

  // Adds `rounds` boosting rounds on `train`.
  absl::Status Boost(DMatrixHandle train, int rounds) {
    ASSIGN_OR_RETURN(const int start, Rounds());
    for (int i = start; i < start + rounds; ++i) {
      if (XGBoosterUpdateOneIter(handle_, i, train) != 0) {
        // A checkpoint of another width fails here ("feature ... mismatch").
        return XgbError(absl::StrCat("boosting round ", i), absl::StatusCode::kInvalidArgument);
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> SaveJson() const {
    bst_ulong length = 0;
    const char* data = nullptr;
    if (XGBoosterSaveModelToBuffer(handle_, R"({"format": "json"})", &length, &data) != 0) {
      return XgbError("save model");
    }
    return std::string(data, length);
  }

 private:
  BoosterHandle handle_ = nullptr;
};

}  // namespace

absl::StatusOr<std::unique_ptr<XgboostFitTrainer>> XgboostFitTrainer::FromJson(
    absl::string_view json, Options options) {
  auto trainer = std::make_unique<XgboostFitTrainer>(options);
  trainer->checkpoint_ = std::string(json);
  RETURN_IF_ERROR(trainer->Adopt(std::string(json)));
  return trainer;
}

absl::Status XgboostFitTrainer::Fit(const Eigen::MatrixXd& x_scaled, const Eigen::VectorXd& y) {
  model_.clear();
  regressor_.reset();
  rounds_ = 0;
  RETURN_IF_ERROR(internal::CheckFitData(x_scaled, y));
  TrainingMatrix train;
  RETURN_IF_ERROR(train.Init(x_scaled, y));
  TrainingBooster booster;
  RETURN_IF_ERROR(booster.Init(train.handle(), checkpoint_));
  RETURN_IF_ERROR(booster.SetParams(options_));
  RETURN_IF_ERROR(booster.Boost(train.handle(), options_.n_estimators));
  ASSIGN_OR_RETURN(std::string model, booster.SaveJson());
  ASSIGN_OR_RETURN(const int rounds, booster.Rounds());
  return Adopt(std::move(model), rounds);
}

Eigen::VectorXd XgboostFitTrainer::Predict(const Eigen::MatrixXd& x_scaled) const {
  return internal::PredictWith(regressor_.get(), x_scaled);
}

absl::StatusOr<std::string> XgboostFitTrainer::SaveJson() const {
  if (model_.empty()) return absl::FailedPreconditionError("xgboost trainer is not fitted");
  return model_;
}

absl::StatusOr<v1::ComponentWeights> XgboostFitTrainer::WeightComponent(
    absl::string_view component, const std::vector<std::string>& features,
    const std::vector<double>& scale) const {
  ASSIGN_OR_RETURN(std::string model, SaveJson());
  if (features.size() != scale.size()) {
    return absl::InvalidArgumentError("features and scales differ in length");
  }
  v1::ComponentWeights weights;
  weights.set_component(std::string(component));
  for (size_t i = 0; i < features.size(); ++i) {
    weights.add_feature_names(features[i]);
    weights.add_numerical_variables()->set_scale(scale[i]);
  }
  weights.set_xgboost_weights(absl::Base64Escape(model));
  return weights;
}

absl::Status XgboostFitTrainer::Adopt(std::string model, std::optional<int> rounds) {
  if (!rounds.has_value()) {  // a second parse of the model: only for loaded checkpoints
    TrainingBooster inspect;
    RETURN_IF_ERROR(inspect.Init(nullptr, model));
    ASSIGN_OR_RETURN(rounds, inspect.Rounds());
  }
  ASSIGN_OR_RETURN(regressor_, core::MakeXgboostRegressor(model));
  rounds_ = *rounds;
  model_ = std::move(model);
  return absl::OkStatus();
}

namespace {

TrainerFamily XgboostFamily() {
  TrainerFamily family;
  family.make = [](const TrainerContext& context) -> std::unique_ptr<Trainer> {
    XgboostOptions options;
    options.seed = context.seed;
    return std::make_unique<XgboostFitTrainer>(options);
  };
  family.load = [](absl::string_view json,
                   const TrainerContext& context) -> absl::StatusOr<std::unique_ptr<Trainer>> {
    XgboostOptions options;
    options.seed = context.seed;
    ASSIGN_OR_RETURN(auto trainer, XgboostFitTrainer::FromJson(json, options));
    return std::unique_ptr<Trainer>(std::move(trainer));
  };
  return family;
}

KEPLER_REGISTER_TRAINER(v1::XgboostFitTrainer, XgboostFamily());

}  // namespace
}  // namespace kepler::model::trainer
