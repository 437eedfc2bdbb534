#include "tools/cli/csv_table.h"

#include "gtest/gtest.h"

namespace kepler::model::tools::cli {
namespace {

TEST(CsvTableTest, ReadsHeaderAndRowsWithQuotesAndCrlf) {
  auto table = ParseCsv("a, b ,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\r\n\r\n2,,3");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->header, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_EQ(table->rows[0], (std::vector<std::string>{"1", "x,y", "say \"hi\""}));
  EXPECT_EQ(table->rows[1], (std::vector<std::string>{"2", "", "3"}));
  EXPECT_EQ(table->Column("c"), 2);
  EXPECT_EQ(table->Column("d"), -1);
}

TEST(CsvTableTest, QuotedNewlinesStayInTheField) {
  auto table = ParseCsv("id,v\n\"two\nlines\",1\n");
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->rows.size(), 1u);
  EXPECT_EQ(table->rows[0][0], "two\nlines");
}

TEST(CsvTableTest, RejectsRaggedRowsNamingTheLine) {
  auto table = ParseCsv("a,b\n1,2\n3\n");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().message(), "line 3: 1 fields, the header has 2");
  EXPECT_FALSE(ParseCsv("").ok());
  EXPECT_FALSE(ParseCsv("a\n\"open\n").ok());
}

TEST(CsvTableTest, NumericColumnsPicksColumnsByName) {
  auto table = ParseCsv("t,x,y\n1,2.5,3\n2,-1e3,4\n");
  ASSERT_TRUE(table.ok());
  auto values = NumericColumns(*table, {"y", "x"});
  ASSERT_TRUE(values.ok()) << values.status();
  EXPECT_EQ(*values, (std::vector<double>{3, 2.5, 4, -1000}));
  EXPECT_EQ(NumericColumns(*table, {"z"}).status().message(), "the CSV has no column 'z'");
  auto bad = ParseCsv("x\nabc\n");
  EXPECT_EQ(NumericColumns(*bad, {"x"}).status().message(),
            "data row 1, column 'x': 'abc' is not a number");
}

TEST(CsvTableTest, QuotesFieldsOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("q\"q"), "\"q\"\"q\"");
}

}  // namespace
}  // namespace kepler::model::tools::cli
