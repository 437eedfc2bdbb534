#include "gateway/power_request_json.h"

#include <fstream>
#include <sstream>

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
  EXPECT_DOUBLE_EQ(doc["powers"]["package"][0].GetDouble(), 123.457);
}

}  // namespace
}  // namespace kepler::model::gateway
