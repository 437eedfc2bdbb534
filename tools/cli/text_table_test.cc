#include "tools/cli/text_table.h"

#include <cmath>

#include "gtest/gtest.h"

namespace kepler::model::tools::cli {
namespace {

TEST(TextTableTest, AlignsTextLeftAndNumbersRight) {
  std::string table = RenderTable(
      {"MODEL", "MAE"}, {{"SGDRegressorTrainer_0", "2.50"}, {"Knn_1", "12.00"}, {"X", "-"}});
  EXPECT_EQ(table,
            "MODEL                    MAE\n"
            "---------------------  -----\n"
            "SGDRegressorTrainer_0   2.50\n"
            "Knn_1                  12.00\n"
            "X                          -\n");
}

TEST(TextTableTest, PadsShortRowsAndDropsTrailingSpaces) {
  EXPECT_EQ(RenderTable({"A", "NOTE"}, {{"x"}}), "A  NOTE\n-  ----\nx\n");
  EXPECT_EQ(RenderTable({"A"}, {}), "A\n-\n");
}

TEST(TextTableTest, FormatsFixedDecimals) {
  EXPECT_EQ(FormatFixed(2.456), "2.46");
  EXPECT_EQ(FormatFixed(3, 0), "3");
  EXPECT_EQ(FormatFixed(NAN), "-");
}

}  // namespace
}  // namespace kepler::model::tools::cli
