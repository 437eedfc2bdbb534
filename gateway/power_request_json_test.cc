#include "gateway/power_request_json.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"

namespace kepler::model::gateway {
namespace {

// What Kepler sends from Start() (kepler-clients.md §2).
constexpr char kKeplerRequest[] =
    R"({"metrics":["bpf_cpu_time_ms","bpf_page_cache_hit"],"values":[[0,0]],)"
    R"("output_type":"AbsPower","source":"acpi","system_features":["cpu_architecture"],)"
    R"("system_values":["Sky Lake"],"trainer_name":"","filter":""})";

TEST(PowerRequestJsonTest, ParsesKeplersRequest) {
  auto request = ParsePowerRequestJson(kKeplerRequest);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->metrics_size(), 2);
  ASSERT_EQ(request->values_size(), 1);
  EXPECT_EQ(request->values(0).values_size(), 2);
  EXPECT_EQ(request->output_type(), v1::AbsPower);
  EXPECT_EQ(request->source(), "acpi");
  EXPECT_EQ(request->system_values(0), "Sky Lake");
}

TEST(PowerRequestJsonTest, ParsesTheRecordedReferenceRequest) {
  std::ifstream in("testdata/reference-samples/estimator-1row-request.json");
  std::stringstream text;
  text << in.rdbuf();
  auto request = ParsePowerRequestJson(text.str());
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_GT(request->metrics_size(), 0);
  EXPECT_EQ(request->values_size(), 1);
}

TEST(PowerRequestJsonTest, ErrorsUseTheReferenceMessages) {
  auto bad_type = ParsePowerRequestJson(
      R"({"metrics":[],"values":[],"output_type":"Nope","source":"acpi"})");
  ASSERT_FALSE(bad_type.ok());
  EXPECT_EQ(bad_type.status().message(), "output type Nope is not supported");
  for (const char* text : {"", "{", "[1]", R"({"values":[]})", R"({"metrics":[],"values":[["a"]]})",
                           R"({"metrics":[],"values":[1]})", R"({"metrics":[1],"values":[]})",
                           R"({"metrics":[],"values":[[NaN]],"output_type":"AbsPower"})"}) {
    auto request = ParsePowerRequestJson(text);
    ASSERT_FALSE(request.ok()) << text;
    EXPECT_EQ(request.status().message().rfind("failed to handle request: ", 0), 0u)
        << request.status();
  }
}

// Found by fuzz/power_request_json_fuzzer: raw non-UTF-8 bytes in a string reached proto3 string
// fields, which must hold UTF-8 (the message no longer survived serialisation).
TEST(PowerRequestJsonTest, RejectsStringsThatAreNotUtf8) {
  auto request = ParsePowerRequestJson(
      "{\"metrics\":[\"a\xff\"],\"values\":[[1]],\"output_type\":\"AbsPower\"}");
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.status().message(), "failed to handle request: request is not valid JSON");
  auto utf8 = ParsePowerRequestJson(
      "{\"metrics\":[\"\xe2\x82\xac\"],\"values\":[[1]],\"output_type\":\"AbsPower\"}");
  ASSERT_TRUE(utf8.ok()) << utf8.status();
  EXPECT_EQ(utf8->metrics(0), "\xe2\x82\xac");
}

// Found while fuzzing: RapidJSON's recursive parser overflowed the stack (and killed the
// estimator) on 2 MB of nested brackets, within the socket's 4 MB request limit.
TEST(PowerRequestJsonTest, DeepNestingIsAnErrorNotACrash) {
  const size_t depth = 1 << 20;
  auto request = ParsePowerRequestJson(std::string(depth, '[') + std::string(depth, ']'));
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.status().message(), "failed to handle request: request must be a JSON object");
  auto nested_metrics = ParsePowerRequestJson(R"({"metrics":)" + std::string(depth, '[') +
                                              std::string(depth, ']') + "}");
  EXPECT_FALSE(nested_metrics.ok());
}

TEST(PowerRequestJsonTest, RejectsUnpairedSurrogateEscapes) {
  auto request = ParsePowerRequestJson(
      R"({"metrics":["bpf\udd00"],"values":[[1]],"output_type":"AbsPower"})");
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.status().message(),
            "failed to handle request: field 'metrics' must be valid UTF-8");
}

TEST(PowerResponseJsonTest, CompactMilliwattsAndAlwaysAnObject) {
  v1::EstimateResponse response;
  auto* package = response.add_powers();
  package->set_component("package");
  package->add_watts(100.84420941932402);
  package->add_watts(0);
  auto* dram = response.add_powers();
  dram->set_component("dram");
  dram->add_watts(38.7);
  dram->add_watts(1e-9);
  response.set_core_ratio(0.5);
  EXPECT_EQ(PowerResponseJson(response),
            R"({"powers":{"package":[100.844,0],"dram":[38.7,0]},"msg":"","core_ratio":0.5})");
  EXPECT_EQ(PowerErrorJson("model \"x\" failed"),
            R"({"powers":{},"msg":"model \"x\" failed","core_ratio":0})");
}

// Found by fuzz/power_request_json_fuzzer: finite watts above DBL_MAX / 1000 overflowed to inf
// while being rounded to milliwatts and were written as `inf`, which no JSON decoder accepts.
TEST(PowerResponseJsonTest, HugeFiniteWattsStayJsonNumbers) {
  v1::EstimateResponse response;
  auto* package = response.add_powers();
  package->set_component("package");
  for (double watts : {2.1e307, 1.7976931348623157e308, 1e15, 999999999999.9996}) {
    package->add_watts(watts);
  }
  const std::string json = PowerResponseJson(response);
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseFullPrecisionFlag>(json.c_str());
  ASSERT_FALSE(doc.HasParseError()) << json;
  const auto& watts = doc["powers"]["package"];
  ASSERT_EQ(watts.Size(), 4u) << json;
  EXPECT_DOUBLE_EQ(watts[0].GetDouble(), 2.1e307);
  EXPECT_DOUBLE_EQ(watts[1].GetDouble(), 1.7976931348623157e308);
  EXPECT_DOUBLE_EQ(watts[2].GetDouble(), 1e15);
  EXPECT_DOUBLE_EQ(watts[3].GetDouble(), 1e12);
}

// What Kepler does with a value of the answer: parse the JSON number, then uint64(w * 1000).
uint64_t KeplerMilliwatts(absl::string_view text) {
  double w = 0;
  EXPECT_TRUE(absl::SimpleAtod(text, &w)) << text;
  return static_cast<uint64_t>(w * 1000);
}

std::vector<std::string> Values(const std::string& json) {
  const size_t open = json.find('[') + 1, close = json.find(']');
  return absl::StrSplit(json.substr(open, close - open), ',');
}

// Kepler's truncation of every value written equals its truncation of the unrounded watts.
TEST(PowerResponseJsonTest, KeplersTruncationGivesTheUnroundedMilliwatts) {
  std::vector<double> watts = {0,       1.005,   1.00512, 0.0004999, 0.0005, 0.0015, 1.0005,
                               2.5,     100.8442, 0.001,  4.35,      1e6,    999999.9995,
                               123456789.0125, 1e9 - 0.0001};
  std::mt19937_64 rng(7);
  for (double scale : {1e-3, 1.0, 1e3, 1e6, 1e8}) {
    std::uniform_real_distribution<double> value(0, scale);
    for (int i = 0; i < 20000; ++i) watts.push_back(value(rng));
  }
  for (int m = 0; m < 200000; ++m) watts.push_back(m / 1000.0);  // every exact milliwatt
  v1::EstimateResponse response;
  auto* power = response.add_powers();
  power->set_component("package");
  for (double w : watts) power->add_watts(w);
  const std::vector<std::string> written = Values(PowerResponseJson(response));
  ASSERT_EQ(written.size(), watts.size());
  for (size_t i = 0; i < watts.size(); ++i) {
    ASSERT_EQ(KeplerMilliwatts(written[i]), static_cast<uint64_t>(watts[i] * 1000))
        << watts[i] << " written as " << written[i];
    ASSERT_LE(written[i].size(), 16u) << written[i];
  }
  // Compact: whole milliwatts keep their shortest form; the rest add at most one digit.
  EXPECT_EQ(written[0], "0");
  EXPECT_EQ(written[1], "1.004");   // the double nearest 1.005 is 1004.99999... mW
  EXPECT_EQ(written[2], "1.0055");  // "1.005" would give 1004, not 1005
  EXPECT_EQ(written[6], "1");       // 1.0005 W is 1000 mW
  EXPECT_EQ(written[7], "2.5");
  EXPECT_EQ(written[8], "100.844");
}

TEST(PowerResponseJsonTest, HundredRowsOfFourComponentsFitKeplersBuffer) {
  v1::EstimateResponse response;
  for (const char* component : {"package", "core", "uncore", "dram"}) {
    auto* power = response.add_powers();
    power->set_component(component);
    for (int row = 0; row < 100; ++row) power->add_watts(123.4567 + row * 1.0001);
  }
  response.set_core_ratio(1);
  std::string json = PowerResponseJson(response);
  EXPECT_LT(json.size(), 4096u);
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_EQ(doc["powers"]["dram"].Size(), 100u);
  EXPECT_EQ(static_cast<uint64_t>(doc["powers"]["package"][0].GetDouble() * 1000), 123456u);
}

}  // namespace
}  // namespace kepler::model::gateway
