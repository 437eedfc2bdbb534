#include "trainer/capture.h"

#include <cmath>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::trainer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

constexpr char kIdlePath[] = "testdata/prom/idle.json";

TEST(CaptureTest, ReadsIdleCaptureAsContractDescribes) {
  auto capture = Capture::ReadFile(kIdlePath);
  ASSERT_TRUE(capture.ok()) << capture.status();
  // tests/data/prom_output/idle.json: 31 metrics, 9,196 samples (contract §10).
  EXPECT_EQ(capture->num_queries(), 31u);
  EXPECT_EQ(capture->num_samples(), 9196u);
  const SeriesTable* package = capture->Find("kepler_node_package_joules_total");
  ASSERT_NE(package, nullptr);
  EXPECT_EQ(package->num_series(), 4u);  // 2 packages x 2 modes
  EXPECT_EQ(package->Label(0, "source"), "rapl-sysfs");
  EXPECT_EQ(package->Label(0, "mode"), "dynamic");
  EXPECT_EQ(package->Label(0, "package"), "0");
  EXPECT_EQ(package->Label(0, "no_such_label"), "");
  ASSERT_EQ(package->Timestamps(0).size(), 7u);
  EXPECT_EQ(package->Timestamps(0)[0], 1702462599.0);
  EXPECT_EQ(package->Timestamps(0)[6], 1702462686.0);
  EXPECT_DOUBLE_EQ(package->Values(0)[0], 7150.525);
  EXPECT_DOUBLE_EQ(package->Values(0)[1], 7641.736);
}

TEST(CaptureTest, LabelsAreSortedByName) {
  auto capture = Capture::Parse(R"({"q": [{"metric": {"b": "2", "a": "1", "__name__": "q"},
                                            "values": [[1, "1"]]}]})");
  ASSERT_TRUE(capture.ok()) << capture.status();
  EXPECT_THAT(capture->Find("q")->Labels(0),
              ElementsAre(Pair("__name__", "q"), Pair("a", "1"), Pair("b", "2")));
}

TEST(CaptureTest, AcceptsPrometheusSpecialValuesAndNumericValues) {
  auto capture = Capture::Parse(R"({"q": [{"metric": {}, "values":
      [[1, "NaN"], [2, "+Inf"], [3, "-Inf"], [4.5, "1e3"], [5, 2.5], [6, "-0.25"]]}]})");
  ASSERT_TRUE(capture.ok()) << capture.status();
  auto values = capture->Find("q")->Values(0);
  EXPECT_TRUE(std::isnan(values[0]));
  EXPECT_EQ(values[1], HUGE_VAL);
  EXPECT_EQ(values[2], -HUGE_VAL);
  EXPECT_EQ(values[3], 1000.0);
  EXPECT_EQ(values[4], 2.5);
  EXPECT_EQ(values[5], -0.25);
  EXPECT_EQ(capture->Find("q")->Timestamps(0)[3], 4.5);
}

TEST(CaptureTest, ReadsQueryValuesWrappedInPrometheusResponses) {
  auto capture = Capture::Parse(R"({"a": {"status": "success", "data": {"resultType": "matrix",
      "result": [{"metric": {"x": "1"}, "values": [[10, "1"], [13, "2"]]}]}},
      "b": [{"values": [[10, "5"]], "metric": {"y": "2"}}], "empty": []})");
  ASSERT_TRUE(capture.ok()) << capture.status();
  EXPECT_THAT(capture->QueryNames(), ElementsAre("a", "b", "empty"));
  EXPECT_EQ(capture->Find("a")->num_samples(), 2u);
  EXPECT_EQ(capture->Find("b")->Label(0, "y"), "2");  // "metric" after "values"
  EXPECT_NE(capture->Find("empty"), nullptr);
  EXPECT_FALSE(capture->HasData("empty"));
  EXPECT_TRUE(capture->HasData("a"));
  EXPECT_EQ(capture->Find("missing"), nullptr);
}

TEST(CaptureTest, FilesATopLevelResponseByNameLabelOrByGivenQuery) {
  constexpr char kResponse[] = R"({"status": "success", "data": {"resultType": "matrix",
      "result": [{"metric": {"__name__": "m1"}, "values": [[1, "1"]]},
                 {"metric": {"__name__": "m2"}, "values": [[1, "2"]]},
                 {"metric": {"__name__": "m1", "i": "b"}, "values": [[1, "3"]]}]},
      "warnings": ["ignored"]})";
  auto by_name = Capture::Parse(kResponse);
  ASSERT_TRUE(by_name.ok()) << by_name.status();
  EXPECT_THAT(by_name->QueryNames(), ElementsAre("m1", "m2"));
  EXPECT_EQ(by_name->Find("m1")->num_series(), 2u);

  ParseOptions options;
  options.query_name = "all";
  auto given = Capture::Parse(kResponse, options);
  ASSERT_TRUE(given.ok()) << given.status();
  EXPECT_THAT(given->QueryNames(), ElementsAre("all"));
  EXPECT_EQ(given->Find("all")->num_series(), 3u);
}

absl::Status ParseError(const std::string& json) {
  auto capture = Capture::Parse(json);
  return capture.ok() ? absl::OkStatus() : capture.status();
}

TEST(CaptureTest, RejectsTextThatIsNotJson) {
  absl::Status status = ParseError(R"({"q": [{"metric": {}, "values": [[1, "1"]]}, ]})");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("not valid JSON at offset"));
  EXPECT_THAT(status.message(), HasSubstr("query q"));
  EXPECT_THAT(ParseError("").message(), HasSubstr("not valid JSON"));
  EXPECT_THAT(ParseError(R"({"q": []} trailing)").message(), HasSubstr("not valid JSON"));
}

TEST(CaptureTest, RejectsWrongShapesNamingTheQuery) {
  EXPECT_THAT(ParseError("[1, 2]").message(), HasSubstr("must be a JSON object"));
  EXPECT_THAT(ParseError(R"({"q": "x"})").message(), HasSubstr("query q: expected a list"));
  EXPECT_THAT(ParseError(R"({"q": 3})").message(), HasSubstr("query q:"));
  EXPECT_THAT(ParseError(R"({"q": [1]})").message(), HasSubstr("query q: each series"));
  EXPECT_THAT(ParseError(R"({"q": [{"metric": {"a": 1}, "values": [[1, "1"]]}]})").message(),
              HasSubstr("query q, series 0: label values must be strings"));
  EXPECT_THAT(ParseError(R"({"q": [{"metric": {}, "values": [[1, "1", 3]]}]})").message(),
              HasSubstr("query q, series 0: a sample must be"));
  EXPECT_THAT(ParseError(R"({"q": [{"metric": {}, "values": [[1]]}]})").message(),
              HasSubstr("a sample must be"));
  EXPECT_THAT(ParseError(R"({"q": [{"metric": {}, "values": [["1", "1"]]}]})").message(),
              HasSubstr("a sample must be"));
  EXPECT_THAT(ParseError(R"({"q": [{"metric": {}, "values": [[1, "abc"]]}]})").message(),
              HasSubstr("query q, series 0: sample value \"abc\" is not a number"));
  EXPECT_THAT(ParseError(R"({"q": [{"metric": {}, "value": [1, "1"]}]})").message(),
              HasSubstr("instant"));
  EXPECT_THAT(ParseError(R"({"q": [], "q": []})").message(),
              HasSubstr("query q: the query appears twice"));
}

TEST(CaptureTest, RejectsSeriesWithoutValues) {
  EXPECT_THAT(ParseError(R"({"ok": [], "q": [{"metric": {}, "values": []}]})").message(),
              HasSubstr("query q, series 0: the series has no values"));
  EXPECT_THAT(ParseError(R"({"q": [{"metric": {}, "values": [[1, "1"]]}, {"metric": {}}]})")
                  .message(),
              HasSubstr("query q, series 1: the series has no values"));
}

TEST(CaptureTest, RejectsUnsortedOrDuplicateTimestamps) {
  EXPECT_THAT(ParseError(R"({"q": [{"metric": {}, "values": [[2, "1"], [1, "2"]]}]})").message(),
              HasSubstr("query q, series 0: timestamps must increase strictly"));
  EXPECT_THAT(ParseError(R"({"q": [{"metric": {}, "values": [[2, "1"], [2, "2"]]}]})").message(),
              HasSubstr("timestamps must increase strictly"));
}

TEST(CaptureTest, ReportsPrometheusErrorsAndNonMatrixResults) {
  EXPECT_THAT(ParseError(R"({"q": {"status": "error", "errorType": "bad_data",
                                     "error": "parse error"}})").message(),
              HasSubstr("query q: Prometheus answered status \"error\": bad_data: parse error"));
  EXPECT_THAT(ParseError(R"({"q": {"status": "success", "data": {"resultType": "vector",
                                     "result": []}}})").message(),
              HasSubstr("query q: resultType \"vector\""));
  EXPECT_THAT(ParseError(R"({"q": {"status": "success"}})").message(), HasSubstr("no data"));
  EXPECT_THAT(ParseError(R"({"status": "success", "data": {"resultType": "matrix",
      "result": [{"metric": {}, "values": [[1, "1"]]}]}})").message(),
              HasSubstr("no __name__ label"));
}

TEST(CaptureTest, MissingFileKeepsItsCode) {
  auto capture = Capture::ReadFile("testdata/prom/no-such-file.json");
  EXPECT_EQ(capture.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace kepler::model::trainer
