// The pipeline's data: extraction order and notes, the per-node-type split and scaling.
#include "trainer/pipeline_data.h"

#include <set>

#include "core/trainer_name.h"
#include "gtest/gtest.h"
#include "tools/capture_generator.h"

namespace kepler::model::trainer {
namespace {

class PipelineDataTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tools::GeneratorOptions generator;
    generator.duration_seconds = 600;
    generator.containers = 6;
    auto generated = tools::GenerateCapture(generator);
    ASSERT_TRUE(generated.ok()) << generated.status();
    auto capture = Capture::Parse(generated->json);
    ASSERT_TRUE(capture.ok()) << capture.status();
    capture_ = new Capture(*std::move(capture));
  }
  static void TearDownTestSuite() { delete capture_; }

  static PipelineOptions Options(int threads) {
    PipelineOptions options;
    options.energy_sources = {"rapl-sysfs", "acpi"};
    options.abs_trainers = {v1::LinearRegressionTrainer};
    options.dyn_trainers = {v1::LinearRegressionTrainer};
    options.feature_groups = {v1::BPFOnly, v1::CounterOnly};
    options.threads = threads;
    return options;
  }

  static Capture* capture_;
};

Capture* PipelineDataTest::capture_ = nullptr;

TEST_F(PipelineDataTest, ExtractsEverySourceGroupAndTypeInAFixedOrder) {
  auto isolator = MakeMinIsolator();
  std::vector<std::string> notes;
  std::vector<Dataset> one = ExtractDatasets(*capture_, *isolator, Options(1), std::nullopt, &notes);
  std::vector<Dataset> two = ExtractDatasets(*capture_, *isolator, Options(2), std::nullopt, &notes);
  EXPECT_TRUE(notes.empty()) << notes.front();
  ASSERT_EQ(one.size(), 2u * 2 * 2) << "sources x groups x output types";
  ASSERT_EQ(two.size(), one.size());
  for (size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].source, i < 4 ? "rapl-sysfs" : "acpi");
    EXPECT_EQ(one[i].type, i % 2 == 0 ? v1::AbsPower : v1::DynPower);
    EXPECT_EQ(one[i].source, two[i].source);
    EXPECT_EQ(one[i].group, two[i].group);
    EXPECT_EQ(one[i].type, two[i].type);
    EXPECT_EQ(one[i].table.columns, two[i].table.columns) << "threads do not change the data";
  }
}

TEST_F(PipelineDataTest, OutputTypesWithoutTrainersAreNotExtracted) {
  PipelineOptions options = Options(0);
  options.dyn_trainers.clear();
  std::vector<std::string> notes;
  std::vector<Dataset> data = ExtractDatasets(*capture_, *MakeMinIsolator(), options, 3, &notes);
  ASSERT_EQ(data.size(), 4u);
  for (const Dataset& d : data) {
    EXPECT_EQ(d.type, v1::AbsPower);
    EXPECT_EQ(NodeTypesOf(d.table), std::vector<int>{3}) << "the node type given replaces the capture's";
  }
}

TEST_F(PipelineDataTest, SliceSplitsNinetyTenAndScalesByMaxAbs) {
  std::vector<std::string> notes;
  std::vector<Dataset> data =
      ExtractDatasets(*capture_, *MakeMinIsolator(), Options(0), std::nullopt, &notes);
  ASSERT_FALSE(data.empty());
  Slice slice = PrepareSlice(data[0], 0, /*seed=*/0);
  ASSERT_TRUE(slice.status.ok()) << slice.status;
  EXPECT_EQ(slice.components, (std::vector<std::string>{"package", "core", "uncore", "dram"}));
  ASSERT_EQ(slice.train.size(), 4u);
  const size_t rows = slice.rows.size();
  EXPECT_EQ(rows, data[0].table.num_rows());
  EXPECT_EQ(slice.split.test.size(), (rows + 9) / 10);
  EXPECT_EQ(slice.split.train.size() + slice.split.test.size(), rows);
  std::set<int> positions(slice.split.train.begin(), slice.split.train.end());
  positions.insert(slice.split.test.begin(), slice.split.test.end());
  EXPECT_EQ(positions.size(), rows) << "a permutation";
  const Eigen::MatrixXd& x = slice.train[0].x;
  EXPECT_EQ(x.rows(), static_cast<Eigen::Index>(slice.split.train.size()));
  EXPECT_LE(x.cwiseAbs().maxCoeff(), 1.0);
  EXPECT_EQ(PrepareSlice(data[0], 0, 0).split.train, slice.split.train) << "seeded";
  EXPECT_NE(PrepareSlice(data[0], 0, 1).split.train, slice.split.train);
  EXPECT_FALSE(PrepareSlice(data[0], 7, 0).status.ok()) << "no rows of node type 7";
}

TEST_F(PipelineDataTest, MainFeatureIndexPointsAtTheGroupsMainOrDramFeature) {
  std::vector<std::string> notes;
  PipelineOptions options = Options(0);
  options.feature_groups = {v1::CounterOnly};
  std::vector<Dataset> data =
      ExtractDatasets(*capture_, *MakeMinIsolator(), options, std::nullopt, &notes);
  ASSERT_FALSE(data.empty());
  Slice slice = PrepareSlice(data[0], 0, 0);
  const auto& features = data[0].table.feature_columns;
  EXPECT_EQ(features[MainFeatureIndex(slice, "package")], "cpu_instructions");
  EXPECT_EQ(features[MainFeatureIndex(slice, "dram")], "cache_miss");
}

}  // namespace
}  // namespace kepler::model::trainer
