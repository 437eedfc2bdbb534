#include "core/model.h"

#include <cmath>
#include <functional>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A model whose Evaluate is given by the test; records what it was asked to evaluate.
class FakeModel final : public Model {
 public:
  using Fn = std::function<ComponentPowers(const double* x, size_t rows)>;
  FakeModel(std::vector<std::string> features, std::vector<std::string> components, Fn fn)
      : Model(std::move(features), std::move(components)), fn_(std::move(fn)) {}
  absl::string_view family() const override { return "fake"; }

 protected:
  absl::StatusOr<ComponentPowers> Evaluate(const double* x, size_t rows) const override {
    return fn_(x, rows);
  }

 private:
  Fn fn_;
};

// Returns, per row, column 0 (component "a") and column 1 (component "b") of the selected matrix.
FakeModel Echo() {
  return FakeModel({"f1", "f2"}, {"a", "b"}, [](const double* x, size_t rows) {
    ComponentPowers out(2);
    for (size_t r = 0; r < rows; ++r) {
      out[0].push_back(x[2 * r]);
      out[1].push_back(x[2 * r + 1]);
    }
    return out;
  });
}

TEST(ModelTest, PicksColumnsByNameInModelOrder) {
  const FakeModel model = Echo();
  auto powers = model.Predict(FeatureTable{{"f2", "other", "f1"}, {2, 9, 1, 20, 9, 10}});
  ASSERT_TRUE(powers.ok()) << powers.status();
  EXPECT_THAT((*powers)[0], ElementsAre(1, 10));
  EXPECT_THAT((*powers)[1], ElementsAre(2, 20));
}

TEST(ModelTest, ClampsNegativesAndMinusInfinityToZero) {
  const FakeModel model = Echo();
  auto powers = model.Predict(FeatureTable{{"f1", "f2"}, {-1, 3}});
  ASSERT_TRUE(powers.ok());
  EXPECT_THAT((*powers)[0], ElementsAre(0.0));
  const FakeModel minus_inf({"f1"}, {"a"}, [](const double*, size_t rows) {
    return ComponentPowers{std::vector<double>(rows, -HUGE_VAL)};
  });
  EXPECT_THAT((*minus_inf.Predict(FeatureTable{{"f1"}, {1}}))[0], ElementsAre(0.0));
}

TEST(ModelTest, ZeroRowsGiveEmptyComponentsWithoutEvaluating) {
  bool called = false;
  const FakeModel model({"f1"}, {"a", "b"}, [&](const double*, size_t) {
    called = true;
    return ComponentPowers();
  });
  auto powers = model.Predict(FeatureTable{{"f1"}, {}});
  ASSERT_TRUE(powers.ok());
  EXPECT_EQ(*powers, ComponentPowers(2));
  EXPECT_FALSE(called);
  EXPECT_TRUE(model.Predict(FeatureTable{}).status().message().find("missing feature f1") !=
              std::string::npos);
}

TEST(ModelTest, RejectsBadInputsNamingTheProblem) {
  const FakeModel model = Echo();
  EXPECT_THAT(model.Predict(FeatureTable{{"f1"}, {1}}).status().message(),
              HasSubstr("missing feature f2 (fake model)"));
  EXPECT_THAT(model.Predict(FeatureTable{{"f1", "f2"}, {1, 2, 3}}).status().message(),
              HasSubstr("3 values for 2 columns"));
  EXPECT_THAT(model.Predict(FeatureTable{{}, {1}}).status().message(),
              HasSubstr("1 values for 0 columns"));
  EXPECT_THAT(model.Predict(FeatureTable{{"f1", "f2"}, {1, 2, INFINITY, 0}}).status().message(),
              HasSubstr("feature f1 row 1 is not a finite number"));
}

TEST(ModelTest, RejectsNonFiniteOrMisshapenOutput) {
  const FakeModel nan({"f1"}, {"a"}, [](const double*, size_t rows) {
    return ComponentPowers{std::vector<double>(rows, NAN)};
  });
  EXPECT_THAT(nan.Predict(FeatureTable{{"f1"}, {1}}).status().message(),
              HasSubstr("non-finite power for component a"));
  const FakeModel short_rows({"f1"}, {"a"}, [](const double*, size_t) {
    return ComponentPowers{{}};
  });
  EXPECT_EQ(short_rows.Predict(FeatureTable{{"f1"}, {1}}).status().code(),
            absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace kepler::model::core
