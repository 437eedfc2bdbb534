// Hostile pickles (testdata/pickle/hostile/, composed by tools/parity/hostile_pickles.py): each is
// refused with an error naming the problem, as a component estimator and as a scaler, and none
// runs anything (a real unpickler would run `echo pwned` for several of them).
#include <string>

#include "core/file_util.h"
#include "core/pickle/numpy_array.h"
#include "core/pickle_scaler.h"
#include "core/sklearn/sklearn_model.h"
#include "core/sklearn/sklearn_pickle.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core::sklearn {
namespace {

using ::testing::HasSubstr;

// Which reader must name the problem: the file is shaped as a component estimator, as a
// scaler, or is a bare DecisionTreeRegressor whose Tree node records are examined.
enum class Reader { kEstimator, kScaler, kTreeNodes };

struct Case {
  const char* file;
  Reader reader;
  const char* error;
};

absl::Status TreeNodesStatus(const std::string& bytes) {
  auto tree = ParseSklearnPickle(bytes);
  if (!tree.ok()) return tree.status();
  auto object = SklearnObject::Of((*tree)->root());
  if (!object.ok()) return object.status();
  auto tree_value = object->Get("tree_");
  if (!tree_value.ok()) return tree_value.status();
  const pickle::PickleValue* nodes = (*tree_value)->state->Get("nodes");
  if (nodes == nullptr) return absl::NotFoundError("no nodes");
  return pickle::ArrayOf(*nodes).status();
}

TEST(HostilePickleTest, EveryFileIsRefusedWithItsReason) {
  const Case cases[] = {
      {"global_os_system.pkl", Reader::kEstimator, "unsupported pickle global posix.system"},
      {"reduce_builtins_eval.pkl", Reader::kEstimator, "unsupported pickle global builtins.eval"},
      {"reduce_on_whitelisted_class.pkl", Reader::kEstimator,
       "REDUCE of sklearn.linear_model._base.LinearRegression is not allowed"},
      {"joblib_huge_shape.pkl", Reader::kScaler, "array larger than the input"},
      {"reconstruct_wrong_size.pkl", Reader::kScaler, "does not match shape"},
      {"truncated_gb.pkl", Reader::kEstimator, "truncated input"},
      {"deep_nesting.pkl", Reader::kEstimator, "nesting deeper than"},
      {"memo_bomb.pkl", Reader::kEstimator, "expected an estimator object"},
      {"dtype_object_array.pkl", Reader::kScaler, "unsupported pickle global os.system"},
      {"unknown_opcode.pkl", Reader::kScaler, "unsupported pickle opcode 0x51"},
      {"structured_dtype_mismatch.pkl", Reader::kTreeNodes, "lies outside the record"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    auto bytes = ReadFile(std::string("testdata/pickle/hostile/") + c.file);
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    // As a component model, each is refused (some as an estimator of the wrong class).
    auto regressor = ReadSklearnRegressor(*bytes, 2);
    ASSERT_FALSE(regressor.ok());
    auto scaler = ReadMaxAbsScalerPickle(*bytes);
    ASSERT_FALSE(scaler.ok());
    const absl::Status status = c.reader == Reader::kEstimator ? regressor.status()
                                : c.reader == Reader::kScaler  ? scaler.status()
                                                               : TreeNodesStatus(*bytes);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.error));
  }
}

// Every prefix of a real GradientBoosting pickle is refused (never a crash or a partial model).
TEST(HostilePickleTest, EveryTruncationOfAPublishedModelIsRefused) {
  auto gb = ReadFile("testdata/pickle/hostile/truncated_gb.pkl");
  ASSERT_TRUE(gb.ok());
  for (size_t n = 0; n < gb->size(); n += 97) {
    EXPECT_FALSE(ReadSklearnRegressor(gb->substr(0, n), 2).ok()) << n;
  }
}

}  // namespace
}  // namespace kepler::model::core::sklearn
