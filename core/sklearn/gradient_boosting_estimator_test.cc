#include "core/sklearn/gradient_boosting_estimator.h"

#include "gtest/gtest.h"

namespace kepler::model::core::sklearn {
namespace {

// scikit-learn casts X to float32 before the tree walk and compares with float64 thresholds:
// 0.1 as float32 is 0.10000000149..., above a 0.1 threshold, so it goes right.
TEST(GradientBoostingEstimatorTest, InputsAreRoundedToFloat32AsScikitLearnDoes) {
  RegressionTree tree;
  tree.children_left = {1, -1, -1};
  tree.children_right = {2, -1, -1};
  tree.feature = {0, RegressionTree::kLeafFeature, RegressionTree::kLeafFeature};
  tree.threshold = {0.1, -2, -2};
  tree.value = {0, 1, 2};
  for (bool float32 : {true, false}) {
    GradientBoostingParams params;
    params.n_features = 1;
    params.init = 10;
    params.learning_rate = 0.5;
    params.trees = {tree};
    params.float32_inputs = float32;
    auto regressor = MakeGradientBoostingRegressor(params);
    ASSERT_TRUE(regressor.ok()) << regressor.status();
    const double x = 0.1;
    double out = 0;
    (*regressor)->Predict(&x, 1, &out);
    EXPECT_EQ(out, float32 ? 10 + 0.5 * 2 : 10 + 0.5 * 1);
  }
}

}  // namespace
}  // namespace kepler::model::core::sklearn
