#include "tools/cli/export_thresholds.h"

#include <cmath>

#include "gtest/gtest.h"

namespace kepler::model::tools::cli {
namespace {

TEST(ExportThresholdsTest, KeepsModelsWithinTheContractThresholds) {
  EXPECT_EQ(ExportRejection(0.5, 31), "") << "small absolute error, any relative error <= 100";
  EXPECT_EQ(ExportRejection(10, 100), "");
  EXPECT_EQ(ExportRejection(100, 20), "") << "large absolute error, small relative error";
  EXPECT_EQ(ExportRejection(42.54, 18), "");
  EXPECT_EQ(ExportRejection(3, -1), "") << "mape unknown (-1): judged by mae";
}

TEST(ExportThresholdsTest, DropsModelsOutsideThemNamingTheRule) {
  EXPECT_EQ(ExportRejection(100.01, 5), "mae 100.01 > 100");
  EXPECT_EQ(ExportRejection(0.5, 5e12), "mape 5000000000000.00 > 100");
  EXPECT_EQ(ExportRejection(10.01, 20.01), "mape 20.01 > 20 and mae 10.01 > 10");
  EXPECT_EQ(ExportRejection(NAN, 1), "errors unknown");
}

}  // namespace
}  // namespace kepler::model::tools::cli
