#include "core/regressor_model.h"

#include <memory>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// f(x) = sum_j (j + 1) * x_j + offset.
class WeightedSum final : public Regressor {
 public:
  WeightedSum(size_t n, double offset) : n_(n), offset_(offset) {}
  size_t num_features() const override { return n_; }
  absl::string_view family() const override { return "weighted-sum"; }
  void Predict(const double* x, size_t rows, double* out) const override {
    for (size_t r = 0; r < rows; ++r) {
      out[r] = offset_;
      for (size_t j = 0; j < n_; ++j) out[r] += (j + 1) * x[r * n_ + j];
    }
  }

 private:
  size_t n_;
  double offset_;
};

std::shared_ptr<const Regressor> Sum(size_t n, double offset = 0) {
  return std::make_shared<WeightedSum>(n, offset);
}

TEST(RegressorModelTest, SelectsColumnsByNameAndScalesPerComponent) {
  std::vector<RegressorComponent> components;
  components.push_back({"package", Sum(2), {"a", "b"}, {2.0, 10.0}});
  components.push_back({"dram", Sum(1, 1.0), {"c"}, {}});
  auto model = MakeRegressorModel(std::move(components));
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_THAT((*model)->features(), ElementsAre("a", "b", "c"));
  EXPECT_THAT((*model)->components(), ElementsAre("package", "dram"));
  EXPECT_EQ((*model)->family(), "weighted-sum");

  // Columns in another order, plus one the model does not read.
  FeatureTable table{{"c", "x", "b", "a"}, {3, 99, 20, 4, /*row 2*/ 0, 0, 0, 0}};
  auto powers = (*model)->Predict(table);
  ASSERT_TRUE(powers.ok()) << powers.status();
  // package = a/2 + 2*b/10 = 2 + 4; dram = 3 + 1.
  EXPECT_THAT((*powers)[0], ElementsAre(6.0, 0.0));
  EXPECT_THAT((*powers)[1], ElementsAre(4.0, 1.0));
}

TEST(RegressorModelTest, SharedFeaturesAppearOnce) {
  std::vector<RegressorComponent> components;
  components.push_back({"package", Sum(2), {"a", "b"}, {}});
  components.push_back({"core", Sum(2), {"b", "a"}, {}});
  auto model = MakeRegressorModel(std::move(components));
  ASSERT_TRUE(model.ok());
  EXPECT_THAT((*model)->features(), ElementsAre("a", "b"));
  auto powers = (*model)->Predict(FeatureTable{{"a", "b"}, {1, 2}});
  ASSERT_TRUE(powers.ok());
  EXPECT_THAT((*powers)[0], ElementsAre(5.0));  // 1 + 2*2
  EXPECT_THAT((*powers)[1], ElementsAre(4.0));  // 2 + 2*1
}

TEST(RegressorModelTest, NegativePredictionsAreClampedToZero) {
  std::vector<RegressorComponent> components;
  components.push_back({"package", Sum(1, -5.0), {"a"}, {}});
  auto model = MakeRegressorModel(std::move(components));
  ASSERT_TRUE(model.ok());
  auto powers = (*model)->Predict(FeatureTable{{"a"}, {1, 10}});
  ASSERT_TRUE(powers.ok());
  EXPECT_THAT((*powers)[0], ElementsAre(0.0, 5.0));
}

TEST(RegressorModelTest, RejectsInconsistentComponents) {
  EXPECT_FALSE(MakeRegressorModel({}).ok());
  std::vector<RegressorComponent> null_regressor;
  null_regressor.push_back({"package", nullptr, {"a"}, {}});
  EXPECT_FALSE(MakeRegressorModel(std::move(null_regressor)).ok());

  std::vector<RegressorComponent> wrong_count;
  wrong_count.push_back({"package", Sum(2), {"a"}, {}});
  auto status = MakeRegressorModel(std::move(wrong_count)).status();
  EXPECT_THAT(status.message(), HasSubstr("reads 2 features, 1 named"));

  std::vector<RegressorComponent> zero_scale;
  zero_scale.push_back({"package", Sum(1), {"a"}, {0.0}});
  EXPECT_THAT(MakeRegressorModel(std::move(zero_scale)).status().message(),
              HasSubstr("invalid scale"));

  std::vector<RegressorComponent> short_scale;
  short_scale.push_back({"package", Sum(2), {"a", "b"}, {1.0}});
  EXPECT_FALSE(MakeRegressorModel(std::move(short_scale)).ok());
}

TEST(RegressorModelTest, MissingFeatureColumnIsAnError) {
  std::vector<RegressorComponent> components;
  components.push_back({"package", Sum(1), {"a"}, {}});
  auto model = MakeRegressorModel(std::move(components));
  ASSERT_TRUE(model.ok());
  auto powers = (*model)->Predict(FeatureTable{{"b"}, {1}});
  EXPECT_EQ(powers.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kepler::model::core
