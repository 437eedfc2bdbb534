#include "trainer/feature_table.h"

#include <cmath>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::trainer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

FeatureTable TwoContainers() {
  FeatureTable table;
  table.timestamps = {10, 10, 20, 20};
  table.has_ids = true;
  table.id_names = {"a/p/x/ns", "b/q/y/ns"};
  table.ids = {0, 1, 0, 1};
  table.AddColumn("cpu", {1, 2, 3, 5});
  table.AddColumn("package_power", {10, 10, 20, 20});
  table.feature_columns = {"cpu"};
  table.power_columns = {"package_power"};
  return table;
}

TEST(FeatureTableTest, NamesFollowTheReference) {
  EXPECT_EQ(PowerColumnName("core"), "core_power");
  EXPECT_EQ(PowerColumnName("core", "1"), "package_1_core_power");
  EXPECT_EQ(ComponentOfPowerColumn("package_1_uncore_power"), "uncore");
  EXPECT_EQ(ComponentOfPowerColumn("core_power"), "core");
  EXPECT_EQ(RatioColumnName("package"), "packge_ratio_package");
  EXPECT_EQ(ContainerNameOfId("id/pod/name/ns"), "name");
  EXPECT_EQ(ContainerNameOfId("id/7"), "");
}

TEST(FeatureTableTest, LooksUpColumnsAndSelectsRows) {
  FeatureTable table = TwoContainers();
  ASSERT_TRUE(table.Validate().ok());
  EXPECT_EQ(table.ColumnIndex("package_power"), 1);
  EXPECT_EQ(table.Column("missing"), nullptr);
  EXPECT_EQ(table.IdOf(1), "b/q/y/ns");
  FeatureTable selected = table.SelectRows({3, 0});
  EXPECT_THAT(selected.timestamps, ElementsAre(20, 10));
  EXPECT_THAT(*selected.Column("cpu"), ElementsAre(5, 1));
  EXPECT_EQ(selected.IdOf(0), "b/q/y/ns");
  EXPECT_THAT(selected.power_columns, ElementsAre("package_power"));
}

TEST(FeatureTableTest, ValidateNamesTheProblem) {
  FeatureTable table = TwoContainers();
  table.columns[0].pop_back();
  EXPECT_THAT(table.Validate().message(), HasSubstr("column cpu has 3 rows, not 4"));
  table = TwoContainers();
  table.power_columns.push_back("dram_power");
  EXPECT_THAT(table.Validate().message(), HasSubstr("dram_power"));
  table = TwoContainers();
  table.ids.pop_back();
  EXPECT_FALSE(table.Validate().ok());
}

TEST(FeatureTableTest, CsvHasTimestampIdAndColumns) {
  EXPECT_EQ(ToCsv(TwoContainers()),
            "timestamp,id,cpu,package_power\n10,a/p/x/ns,1,10\n10,b/q/y/ns,2,10\n"
            "20,a/p/x/ns,3,20\n20,b/q/y/ns,5,20\n");
}

TEST(FeatureTableTest, CorrelationSumsFeaturesAndAveragesPowerPerTimestamp) {
  FeatureTable table = TwoContainers();
  table.timestamps = {10, 10, 20, 20};
  std::vector<double> corr = FeatureCorrelations(table, "package");
  ASSERT_EQ(corr.size(), 1u);
  EXPECT_NEAR(corr[0], 1.0, 1e-12);  // two points: (3, 10) and (8, 20)
  table.columns[1] = {10, 10, 10, 10};
  EXPECT_TRUE(std::isnan(FeatureCorrelations(table, "package")[0]));
}

}  // namespace
}  // namespace kepler::model::trainer
