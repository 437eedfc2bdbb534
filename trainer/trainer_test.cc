#include "trainer/trainer.h"

#include "gtest/gtest.h"

namespace kepler::model::trainer {
namespace {

// A family that predicts a constant, to exercise the registry without a real one.
class ConstantTrainer final : public Trainer {
 public:
  explicit ConstantTrainer(double value) : value_(value) {}
  v1::TrainerName name() const override { return v1::KNeighborsRegressorTrainer; }
  absl::Status Fit(const Eigen::MatrixXd&, const Eigen::VectorXd& y) override {
    value_ = y.mean();
    return absl::OkStatus();
  }
  Eigen::VectorXd Predict(const Eigen::MatrixXd& x) const override {
    return Eigen::VectorXd::Constant(x.rows(), value_);
  }
  absl::StatusOr<std::string> SaveJson() const override { return std::to_string(value_); }

 private:
  double value_;
};

TrainerFamily ConstantFamily() {
  return {[](const TrainerContext&) { return std::make_unique<ConstantTrainer>(0.0); },
          [](absl::string_view json, const TrainerContext&)
              -> absl::StatusOr<std::unique_ptr<Trainer>> {
            return std::make_unique<ConstantTrainer>(std::stod(std::string(json)));
          }};
}

TEST(TrainerRegistryTest, MakeAndLoadThroughTheRegisteredFamily) {
  ASSERT_TRUE(RegisterTrainer(v1::KNeighborsRegressorTrainer, ConstantFamily()).ok());
  auto trainer = MakeTrainer(v1::KNeighborsRegressorTrainer, {});
  ASSERT_TRUE(trainer.ok()) << trainer.status();
  ASSERT_TRUE((*trainer)->Fit(Eigen::MatrixXd::Ones(2, 1), Eigen::Vector2d(1, 3)).ok());
  auto json = (*trainer)->SaveJson();
  ASSERT_TRUE(json.ok());
  auto loaded = LoadTrainer(v1::KNeighborsRegressorTrainer, *json, {});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->Predict(Eigen::MatrixXd::Ones(1, 1))[0], 2.0);
  EXPECT_EQ(RegisteredTrainers(), std::vector<v1::TrainerName>{v1::KNeighborsRegressorTrainer});

  // No weight document by default.
  EXPECT_EQ((*trainer)->WeightComponent("package", {"a"}, {1.0}).status().code(),
            absl::StatusCode::kUnimplemented);
  // Registering twice is refused.
  EXPECT_EQ(RegisterTrainer(v1::KNeighborsRegressorTrainer, ConstantFamily()).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST(TrainerRegistryTest, UnregisteredFamilyIsNotFound) {
  EXPECT_EQ(MakeTrainer(v1::XgboostFitTrainer, {}).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(LoadTrainer(v1::XgboostFitTrainer, "{}", {}).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(TrainerRegistryTest, FamilyNeedsBothFunctions) {
  EXPECT_EQ(RegisterTrainer(v1::SVRRegressorTrainer, TrainerFamily{}).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kepler::model::trainer
