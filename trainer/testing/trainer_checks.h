// Test helpers for the trainer families (testonly): generated data with known truth, the
// save/load round trip and serving a fitted model through core's model loader.
//
// Thread-safety: stateless functions.
#ifndef KEPLER_TRAINER_TESTING_TRAINER_CHECKS_H_
#define KEPLER_TRAINER_TESTING_TRAINER_CHECKS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "Eigen/Core"
#include "absl/status/statusor.h"
#include "core/model.h"
#include "trainer/model_files.h"
#include "trainer/scaler.h"
#include "trainer/trainer.h"

namespace kepler::model::trainer::testing {

// `rows` rows of `features` columns uniform in [0, 1) and y = f(row) + N(0, noise²).
struct Dataset {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
};
Dataset MakeDataset(int rows, int features, uint64_t seed, double noise,
                    const std::function<double(const Eigen::RowVectorXd&)>& f);

// Max |Predict(x) - LoadTrainer(SaveJson()).Predict(x)|, or the first error on the way.
absl::StatusOr<double> RoundTripMaxDifference(const Trainer& trainer, const Eigen::MatrixXd& x,
                                              const TrainerContext& context = {});

// Writes the portable files of `components` (plus a metadata.json with model_class kepler-json)
// for model `<trainer>_0`, loads them with core::LoadModelFromFiles (feature group `group`, as
// the folder name would give it) and predicts the raw (unscaled) rows `x_raw`.
absl::StatusOr<core::ComponentPowers> ServeAndPredict(const MaxAbsScaler& scaler,
                                                      const std::vector<FittedComponent>& components,
                                                      const Eigen::MatrixXd& x_raw,
                                                      const std::string& group = "");

// As ServeAndPredict, through the weight document (what Kepler and the server's weight=true
// evaluate): WeightDocumentOf, ValidateForKepler, then core::LoadWeightModel.
absl::StatusOr<core::ComponentPowers> PredictFromWeights(
    const MaxAbsScaler& scaler, const std::vector<FittedComponent>& components,
    const Eigen::MatrixXd& x_raw, v1::FeatureGroup group);

// Rows of `x` as a core::FeatureTable with the scaler's feature names.
core::FeatureTable ToFeatureTable(const std::vector<std::string>& features,
                                  const Eigen::MatrixXd& x);

}  // namespace kepler::model::trainer::testing

#endif  // KEPLER_TRAINER_TESTING_TRAINER_CHECKS_H_
