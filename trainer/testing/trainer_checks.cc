#include "trainer/testing/trainer_checks.h"

#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/json_fields.h"
#include "core/json_util.h"
#include "core/portable_model.h"
#include "core/status_macros.h"
#include "core/trainer_name.h"
#include "core/weight_document.h"

namespace kepler::model::trainer::testing {
namespace {

absl::StatusOr<std::string> Metadata(const std::string& model_name, const std::string& trainer,
                                     const std::vector<std::string>& features) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  core::AddString(&doc, "model_name", model_name, a);
  core::AddString(&doc, "trainer", trainer, a);
  core::AddString(&doc, "model_class", core::kPortableModelClass, a);
  core::AddString(&doc, "model_file", model_name + ".json", a);
  core::AddStringList(&doc, "features", features, a);
  core::AddStringList(&doc, "fe_files", {}, a);
  return core::WriteJson(doc, core::JsonWriteOptions::PythonDumps(false));
}

}  // namespace

Dataset MakeDataset(int rows, int features, uint64_t seed, double noise,
                    const std::function<double(const Eigen::RowVectorXd&)>& f) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 1.0);
  Dataset d{Eigen::MatrixXd(rows, features), Eigen::VectorXd(rows)};
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < features; ++c) d.x(r, c) = uniform(rng);
    d.y[r] = f(d.x.row(r)) + noise * normal(rng);
  }
  return d;
}

absl::StatusOr<double> RoundTripMaxDifference(const Trainer& trainer, const Eigen::MatrixXd& x,
                                              const TrainerContext& context) {
  ASSIGN_OR_RETURN(std::string json, trainer.SaveJson());
  ASSIGN_OR_RETURN(std::unique_ptr<Trainer> loaded, LoadTrainer(trainer.name(), json, context));
  return (trainer.Predict(x) - loaded->Predict(x)).cwiseAbs().maxCoeff();
}

core::FeatureTable ToFeatureTable(const std::vector<std::string>& features,
                                  const Eigen::MatrixXd& x) {
  core::FeatureTable table{features, {}};
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    for (Eigen::Index c = 0; c < x.cols(); ++c) table.values.push_back(x(r, c));
  }
  return table;
}

absl::StatusOr<core::ComponentPowers> ServeAndPredict(
    const MaxAbsScaler& scaler, const std::vector<FittedComponent>& components,
    const Eigen::MatrixXd& x_raw, const std::string& group) {
  if (components.empty()) return absl::InvalidArgumentError("no component");
  const std::string trainer = core::TrainerNameString(components[0].trainer->name());
  const std::string model_name = core::MakeModelName(trainer, 0);
  ASSIGN_OR_RETURN(core::ModelFiles files, PortableModelFiles(model_name, scaler, components));
  ASSIGN_OR_RETURN(files["metadata.json"], Metadata(model_name, trainer, scaler.features()));
  ASSIGN_OR_RETURN(std::shared_ptr<const core::Model> model,
                   core::LoadModelFromFiles(files, group));
  return model->Predict(ToFeatureTable(scaler.features(), x_raw));
}

absl::StatusOr<core::ComponentPowers> PredictFromWeights(
    const MaxAbsScaler& scaler, const std::vector<FittedComponent>& components,
    const Eigen::MatrixXd& x_raw, v1::FeatureGroup group) {
  if (components.empty()) return absl::InvalidArgumentError("no component");
  const std::string trainer = core::TrainerNameString(components[0].trainer->name());
  ASSIGN_OR_RETURN(v1::WeightDocument doc, WeightDocumentOf(scaler, components));
  RETURN_IF_ERROR(core::ValidateForKepler(doc, trainer));
  // Through the published text, as Kepler reads it.
  ASSIGN_OR_RETURN(std::string text,
                   core::WriteWeightDocument(doc, core::JsonWriteOptions::PythonDumps(false)));
  ASSIGN_OR_RETURN(v1::WeightDocument parsed, core::ParseWeightDocument(text));
  ASSIGN_OR_RETURN(std::shared_ptr<const core::Model> model,
                   core::LoadWeightModel(parsed, trainer, group));
  return model->Predict(ToFeatureTable(scaler.features(), x_raw));
}

}  // namespace kepler::model::trainer::testing
