// Kepler's request shapes against the published fixtures: the model the contract says the
// reference selects, and its weight document number by number.
#include <string>

#include "absl/strings/str_cat.h"
#include "core/file_util.h"
#include "core/weight_document.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "server/model_server_service.h"

namespace kepler::model::server {
namespace {

struct Case {
  std::string source;
  v1::OutputType output_type;
  std::string trainer;
  // -1: node type any with the i3.metal machine spec (ec2 node type 1; specpower's nearest).
  int node_type;
  // Expected model, or "" for no model (400).
  std::string expected;
};

std::string PrintCase(const ::testing::TestParamInfo<Case>& info) {
  const Case& c = info.param;
  return absl::StrCat(c.source == "acpi" ? "Acpi" : "Rapl", c.output_type == v1::AbsPower ? "Abs" : "Dyn",
                      c.trainer.substr(0, c.trainer.find("Trainer")),
                      c.node_type < 0 ? "Spec" : absl::StrCat("Node", c.node_type));
}

class KeplerRequestsGoldenTest : public ::testing::TestWithParam<Case> {
 protected:
  static void SetUpTestSuite() {
    repository_ = Repository::Create({"testdata/model-db", absl::ZeroDuration()}).value().release();
    service_ = new ModelServerService(repository_, {});
  }
  static void TearDownTestSuite() {
    delete service_;
    delete repository_;
  }
  static Repository* repository_;
  static ModelServerService* service_;
};

Repository* KeplerRequestsGoldenTest::repository_;
ModelServerService* KeplerRequestsGoldenTest::service_;

TEST_P(KeplerRequestsGoldenTest, SelectsTheContractsModelWithItsPublishedWeights) {
  const Case& c = GetParam();
  v1::GetModelRequest request;
  for (const char* metric : {"bpf_cpu_time_ms", "bpf_page_cache_hit", "cpu_cycles",
                             "cpu_instructions", "cache_miss", "cpu_architecture"}) {
    request.add_metrics(metric);
  }
  request.set_output_type(c.output_type);
  request.set_source(c.source == "acpi" ? "acpi" : "intel_rapl");
  request.set_weight(true);
  request.set_trainer_name(c.trainer);
  if (c.node_type >= 0) {
    request.set_node_type(c.node_type);
  } else {
    v1::MachineSpec* spec = request.mutable_machine_spec();
    spec->set_processor("intel_xeon_e5_2686v4");
    spec->set_cores(72);
    spec->set_chips(2);
    spec->set_memory(503);
    spec->set_frequency(3000);
  }
  auto response = service_->GetModel(request);
  if (c.expected.empty()) {
    EXPECT_EQ(response.status().code(), absl::StatusCode::kNotFound) << response.status();
    return;
  }
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->metadata().model_name(), c.expected);
  std::string pipeline = c.source == "acpi" ? "specpower-0.7.11" : "ec2-0.7.11";
  auto published = core::ParseWeightDocument(*core::ReadFile(
      absl::StrCat("testdata/model-db/", pipeline, "/", c.source, "/AbsPower/BPFOnly/", c.expected, ".json")));
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(response->weights(), *published))
      << response->weights().DebugString();
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, KeplerRequestsGoldenTest,
    ::testing::Values(
        // Kepler sends node_type 0: node type 0 models, by trainer.
        Case{"rapl-sysfs", v1::AbsPower, "SGDRegressorTrainer", 0, "SGDRegressorTrainer_0"},
        Case{"rapl-sysfs", v1::AbsPower, "LogarithmicRegressionTrainer", 0, "LogarithmicRegressionTrainer_0"},
        Case{"rapl-sysfs", v1::AbsPower, "ExponentialRegressionTrainer", 0, "ExponentialRegressionTrainer_0"},
        Case{"rapl-sysfs", v1::AbsPower, "LogisticRegressionTrainer", 0, ""},
        Case{"acpi", v1::AbsPower, "SGDRegressorTrainer", 0, "SGDRegressorTrainer_0"},
        Case{"acpi", v1::AbsPower, "LogisticRegressionTrainer", 0, "LogisticRegressionTrainer_0"},
        Case{"acpi", v1::AbsPower, "LogarithmicRegressionTrainer", 1, "LogarithmicRegressionTrainer_1"},
        Case{"acpi", v1::AbsPower, "ExponentialRegressionTrainer", 1, "ExponentialRegressionTrainer_1"},
        // With a machine spec and node type any: i3.metal is ec2's node type 1.
        Case{"rapl-sysfs", v1::AbsPower, "SGDRegressorTrainer", -1, "SGDRegressorTrainer_1"},
        Case{"rapl-sysfs", v1::AbsPower, "LogarithmicRegressionTrainer", -1, "LogarithmicRegressionTrainer_1"},
        // ec2 has no Exponential_1: the largest machines' model (node type 0, 96 cores) answers.
        Case{"rapl-sysfs", v1::AbsPower, "ExponentialRegressionTrainer", -1, "ExponentialRegressionTrainer_0"},
        // ec2's DynPower holds no weight model (the published set is sparse).
        Case{"rapl-sysfs", v1::DynPower, "SGDRegressorTrainer", 0, ""},
        Case{"rapl-sysfs", v1::DynPower, "", -1, ""}),
    PrintCase);

}  // namespace
}  // namespace kepler::model::server
