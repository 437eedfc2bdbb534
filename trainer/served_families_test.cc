// The tree, neighbour, SVR and xgboost families served the way the estimator will serve them:
// fitted per component on MaxAbs-scaled columns, written as portable model files, loaded with
// core::LoadModelFromFiles and evaluated on raw rows. The served watts must be the trainer's own
// predictions, clamped at 0.
#include <memory>
#include <string>
#include <vector>

#include "absl/types/optional.h"

#include "core/trainer_name.h"
#include "gtest/gtest.h"
#include "trainer/model_files.h"
#include "trainer/scaler.h"
#include "trainer/testing/regression_data.h"
#include "trainer/testing/trainer_checks.h"
#include "trainer/trainer.h"

namespace kepler::model::trainer {
namespace {

class ServedFamilyTest : public ::testing::TestWithParam<v1::TrainerName> {
 protected:
  // Raw counters up to ~1000 (scaled by the model's scaler), package watts and a dram share
  // that goes slightly negative at low load, so clamping shows.
  void SetUp() override {
    const auto data = testing::MakeRegressionData(testing::Shape::kPower, 300, 3, /*seed=*/9, 1.0);
    x_raw_ = data.x * 1000.0;
    package_ = data.y;
    dram_ = data.x.col(1) * 10.0 - Eigen::VectorXd::Constant(300, 2.0);
    auto scaler = MaxAbsScaler::Fit(x_raw_, {"bpf_cpu_time_ms", "bpf_page_cache_hit", "cycles"});
    ASSERT_TRUE(scaler.ok()) << scaler.status();
    scaler_.emplace(std::move(*scaler));
    x_scaled_ = scaler_->Transform(x_raw_);
    for (const Eigen::VectorXd* y : {&package_, &dram_}) {
      auto trainer = MakeTrainer(GetParam(), {});
      ASSERT_TRUE(trainer.ok()) << trainer.status();
      ASSERT_TRUE((*trainer)->Fit(x_scaled_, *y).ok());
      trainers_.push_back(std::move(*trainer));
    }
  }

  std::vector<FittedComponent> Components() const {
    return {{"package", trainers_[0].get()}, {"dram", trainers_[1].get()}};
  }

  // Compares served watts with each trainer's clamped prediction.
  void ExpectTrainerPredictions(const core::ComponentPowers& powers, double tolerance) const {
    ASSERT_EQ(powers.size(), 2u);
    for (size_t c = 0; c < 2; ++c) {
      const Eigen::VectorXd expected = trainers_[c]->Predict(x_scaled_).cwiseMax(0.0);
      ASSERT_EQ(powers[c].size(), static_cast<size_t>(expected.size()));
      for (size_t r = 0; r < powers[c].size(); ++r) {
        ASSERT_NEAR(powers[c][r], expected(r), tolerance) << "component " << c << " row " << r;
      }
    }
  }

  Eigen::MatrixXd x_raw_, x_scaled_;
  Eigen::VectorXd package_, dram_;
  absl::optional<MaxAbsScaler> scaler_;
  std::vector<std::unique_ptr<Trainer>> trainers_;
};

TEST_P(ServedFamilyTest, LoadedArchiveFilesPredictWhatTheTrainerPredicts) {
  auto powers = testing::ServeAndPredict(*scaler_, Components(), x_raw_);
  ASSERT_TRUE(powers.ok()) << powers.status();
  // Division by the scale happens in the model instead of before the fit: equal up to rounding.
  ExpectTrainerPredictions(*powers, 1e-9);
  bool clamped = false;
  for (double w : (*powers)[1]) clamped |= (w == 0.0);
  EXPECT_TRUE(clamped) << "the dram targets reach -2 W; some prediction should clamp";
}

INSTANTIATE_TEST_SUITE_P(Families, ServedFamilyTest,
                         ::testing::Values(v1::GradientBoostingRegressorTrainer,
                                           v1::KNeighborsRegressorTrainer,
                                           v1::SVRRegressorTrainer, v1::XgboostFitTrainer),
                         [](const auto& info) { return core::TrainerNameString(info.param); });

TEST(ServedXgboostTest, WeightDocumentPredictsWhatTheTrainerPredicts) {
  const auto data = testing::MakeRegressionData(testing::Shape::kPower, 200, 3, /*seed=*/10);
  const Eigen::MatrixXd x_raw = data.x * 50.0;
  auto scaler = MaxAbsScaler::Fit(x_raw, {"bpf_cpu_time_ms", "bpf_page_cache_hit", "cycles"});
  ASSERT_TRUE(scaler.ok());
  auto trainer = MakeTrainer(v1::XgboostFitTrainer, {});
  ASSERT_TRUE(trainer.ok());
  ASSERT_TRUE((*trainer)->Fit(scaler->Transform(x_raw), data.y).ok());
  auto powers = testing::PredictFromWeights(*scaler, {{"package", trainer->get()}}, x_raw,
                                            v1::FEATURE_GROUP_UNSPECIFIED);
  ASSERT_TRUE(powers.ok()) << powers.status();
  const Eigen::VectorXd expected = (*trainer)->Predict(scaler->Transform(x_raw));
  for (int r = 0; r < expected.size(); ++r) EXPECT_NEAR((*powers)[0][r], expected(r), 1e-9);
}

}  // namespace
}  // namespace kepler::model::trainer
