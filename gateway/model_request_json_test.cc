#include "gateway/model_request_json.h"

#include <fstream>
#include <sstream>

#include "core/file_util.h"
#include "gtest/gtest.h"

namespace kepler::model::gateway {
namespace {

std::string ReadTestFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string KeplerBody() {
  // Kepler v0.7.12's body, byte for byte (kepler-clients.md §1.3).
  return *core::ReadFile("testdata/kepler/model-request-v0.7.12.json");
}

TEST(ModelRequestJsonTest, ParsesKeplersBody) {
  auto request = ParseModelRequestJson(KeplerBody());
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->metrics_size(), 6);
  EXPECT_EQ(request->output_type(), v1::AbsPower);
  EXPECT_EQ(request->source(), "rapl-sysfs");
  ASSERT_TRUE(request->has_node_type());
  EXPECT_EQ(request->node_type(), 0);
  EXPECT_TRUE(request->weight());
  EXPECT_EQ(request->trainer_name(), "SGDRegressorTrainer");
  EXPECT_EQ(request->machine_spec().cores(), 96);
  EXPECT_EQ(request->machine_spec().processor(), "intel_xeon_platinum_8259cl");
  EXPECT_FALSE(request->has_loose_node_type());
}

TEST(ModelRequestJsonTest, ParsesTheRecordedReferenceRequests) {
  for (const char* name : {"model-request-weight.json", "model-request-zip.json"}) {
    auto request =
        ParseModelRequestJson(ReadTestFile(std::string("testdata/reference-samples/") + name));
    ASSERT_TRUE(request.ok()) << name << ": " << request.status();
    EXPECT_EQ(request->metrics_size(), 11);
    EXPECT_EQ(request->node_type(), -1);
  }
}

TEST(ModelRequestJsonTest, AcceptsLenientForms) {
  auto request = ParseModelRequestJson(
      R"({"metrics":["bpf_cpu_time_ms"],"output_type":"DynPower","source":null,)"
      R"("node_type":"3","weight":"true","loose_node_type":"false","future_key":1})");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->source(), "rapl-sysfs");
  EXPECT_EQ(request->node_type(), 3);
  EXPECT_TRUE(request->weight());
  EXPECT_FALSE(request->loose_node_type());
  auto no_weight = ParseModelRequestJson(
      R"({"metrics":[],"output_type":"AbsPower","source":"acpi","weight":"false"})");
  ASSERT_TRUE(no_weight.ok());
  EXPECT_FALSE(no_weight->weight());
}

TEST(ModelRequestJsonTest, ErrorsNameTheField) {
  struct Case {
    const char* body;
    const char* mentions;
  } cases[] = {
      {"{", "JSON"},
      {"[]", "object"},
      {R"({"output_type":"AbsPower"})", "metrics"},
      {R"({"metrics":"bpf","output_type":"AbsPower"})", "metrics"},
      {R"({"metrics":[]})", "output_type"},
      {R"({"metrics":[],"output_type":"Bad"})", "Bad"},
      {R"({"metrics":[],"output_type":"AbsPower","source":"nvml"})", "nvml"},
      {R"({"metrics":[],"output_type":"AbsPower","node_type":"x"})", "node_type"},
      {R"({"metrics":[],"output_type":"AbsPower","weight":[]})", "weight"},
      {R"({"metrics":[],"output_type":"AbsPower","machine_spec":{"cores":"many"}})",
       "machine_spec"},
  };
  for (const Case& c : cases) {
    auto request = ParseModelRequestJson(c.body);
    ASSERT_FALSE(request.ok()) << c.body;
    EXPECT_EQ(request.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(request.status().message().find(c.mentions), std::string::npos)
        << c.body << " -> " << request.status();
  }
}

// Found by fuzz/model_request_json_fuzzer: raw non-UTF-8 bytes in a string reached proto3 string
// fields, which must hold UTF-8 (the message no longer survived serialisation).
TEST(ModelRequestJsonTest, RejectsStringsThatAreNotUtf8) {
  auto latin1 = ParseModelRequestJson("{\"metrics\":[\"caf\xe9\"],\"output_type\":\"AbsPower\"}");
  ASSERT_FALSE(latin1.ok());
  EXPECT_EQ(latin1.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(latin1.status().message().find("JSON"), std::string::npos) << latin1.status();
  auto utf8 = ParseModelRequestJson(
      "{\"metrics\":[\"caf\xc3\xa9\",\"\\u00e9\"],\"output_type\":\"AbsPower\"}");
  ASSERT_TRUE(utf8.ok()) << utf8.status();
  EXPECT_EQ(utf8->metrics(0), "caf\xc3\xa9");
  EXPECT_EQ(utf8->metrics(1), "\xc3\xa9");
}

TEST(BestModelsQueryTest, ParsesParameters) {
  auto request = ParseBestModelsQuery({{"energy-source", "intel_rapl"},
                                       {"output-type", "DynPower"},
                                       {"feature-group", "BPFOnly"},
                                       {"node-type", "3"},
                                       {"filter", "mae:5"}});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->energy_source(), "rapl-sysfs");
  ASSERT_EQ(request->output_type_size(), 1);
  EXPECT_EQ(request->output_type(0), v1::DynPower);
  EXPECT_EQ(request->feature_group(0), v1::BPFOnly);
  EXPECT_EQ(request->node_type(), 3);
  EXPECT_EQ(request->filter(), "mae:5");
  EXPECT_EQ(ParseBestModelsQuery({})->energy_source(), "rapl-sysfs");
}

TEST(BestModelsQueryTest, BadValuesAreErrors) {
  EXPECT_FALSE(ParseBestModelsQuery({{"feature-group", "Nope"}}).ok());
  EXPECT_FALSE(ParseBestModelsQuery({{"feature-group", "IRQOnly"}}).ok());
  EXPECT_FALSE(ParseBestModelsQuery({{"output-type", "Bad"}}).ok());
  EXPECT_FALSE(ParseBestModelsQuery({{"node-type", "one"}}).ok());
}

}  // namespace
}  // namespace kepler::model::gateway
