#include "server/selector.h"

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "server/pipeline_loader.h"

namespace kepler::model::server {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kBpfMetrics = {"bpf_cpu_time_ms", "bpf_page_cache_hit",
                                              "cpu_architecture"};

class SelectorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    snapshot_ = new Snapshot(LoadPipelines("testdata/model-db"), absl::Now());
  }
  static void TearDownTestSuite() { delete snapshot_; }

  static SelectionRequest Request(std::string source = "rapl-sysfs") {
    SelectionRequest request;
    request.metrics = kBpfMetrics;
    request.source = std::move(source);
    return request;
  }
  static std::string Selected(const SelectionRequest& request) {
    auto selection = SelectBestModel(*snapshot_, request);
    if (!selection.ok()) return selection.status().ToString();
    return selection->model->metadata.model_name();
  }

  static Snapshot* snapshot_;
};

Snapshot* SelectorTest::snapshot_ = nullptr;

TEST_F(SelectorTest, LowestMaeArchiveWins) {
  // ec2 AbsPower BPFOnly: KNeighbors_1 has the lowest mae (2.58).
  EXPECT_EQ(Selected(Request()), "KNeighborsRegressorTrainer_1");
}

TEST_F(SelectorTest, WeightConsidersOnlyWeightTrainersWithDocuments) {
  SelectionRequest request = Request();
  request.weight = true;
  // SGD_0 60.78, SGD_1 18.35, Log_0 42.54, Log_1 5.76, Exp_0 65.3.
  EXPECT_EQ(Selected(request), "LogarithmicRegressionTrainer_1");
}

TEST_F(SelectorTest, KeplersRequestGetsTheExplicitNodeTypeAndTrainer) {
  // Kepler sends node_type 0, weight true, trainer SGDRegressorTrainer and its machine spec.
  SelectionRequest request = Request();
  request.weight = true;
  request.node_type = 0;
  request.trainer_name = "SGDRegressorTrainer";
  request.machine_spec.processor = "intel_xeon_e5_2686v4";
  request.machine_spec.cores = 72;
  EXPECT_EQ(Selected(request), "SGDRegressorTrainer_0");
  request.trainer_name = "";
  EXPECT_EQ(Selected(request), "LogarithmicRegressionTrainer_0");
}

TEST_F(SelectorTest, MachineSpecResolvesTheNodeType) {
  // Node type 1 of ec2 is i3.metal.
  SelectionRequest request = Request();
  request.machine_spec.processor = "intel_xeon_e5_2686v4";
  request.machine_spec.cores = 72;
  request.machine_spec.chips = 2;
  request.machine_spec.memory = 503;
  request.machine_spec.frequency = 3000;
  auto selection = SelectBestModel(*snapshot_, request);
  ASSERT_TRUE(selection.ok()) << selection.status();
  EXPECT_EQ(selection->node_type, 1);
  EXPECT_EQ(selection->model->metadata.model_name(), "KNeighborsRegressorTrainer_1");
  request.machine_spec.processor = "intel_xeon_platinum_8259cl";
  request.machine_spec.cores = 96;
  request.machine_spec.memory = 377;
  request.machine_spec.frequency = 3500;
  request.weight = true;
  EXPECT_EQ(Selected(request), "LogarithmicRegressionTrainer_0");
}

TEST_F(SelectorTest, StrictNodeTypeWithoutModelsFindsNothing) {
  SelectionRequest request = Request();
  request.node_type = 5;
  // Loose: falls back to the models of the largest machines (node type 0, 96 cores; §2.3 step 6).
  EXPECT_EQ(Selected(request), "KNeighborsRegressorTrainer_0");
  request.loose_node_type = false;
  auto selection = SelectBestModel(*snapshot_, request);
  EXPECT_EQ(selection.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(selection.status().message().find("node type 5"), std::string::npos);
}

TEST_F(SelectorTest, FiltersApply) {
  SelectionRequest request = Request();
  request.filter = *core::ModelFilter::Parse("mae:3; mape:5");
  EXPECT_EQ(Selected(request), "KNeighborsRegressorTrainer_1");
  request.filter = *core::ModelFilter::Parse("mape:4");
  EXPECT_EQ(Selected(request), "GradientBoostingRegressorTrainer_0");  // mape 3.3
  request.filter = *core::ModelFilter::Parse("mae:1");
  EXPECT_EQ(SelectBestModel(*snapshot_, request).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SelectorTest, DynPowerAndAcpiComeFromTheirPipelines) {
  SelectionRequest dyn = Request();
  dyn.output_type = v1::DynPower;
  EXPECT_EQ(Selected(dyn), "GradientBoostingRegressorTrainer_1");
  SelectionRequest acpi = Request("acpi");
  acpi.weight = true;
  // Logistic_0 4.33 is the best acpi weight model.
  EXPECT_EQ(Selected(acpi), "LogisticRegressionTrainer_0");
  acpi.weight = false;
  EXPECT_EQ(Selected(acpi), "LinearRegressionTrainer_1");  // 2.59
}

TEST_F(SelectorTest, RequestErrors) {
  SelectionRequest request = Request();
  request.metrics = {"cpu_cycles"};
  EXPECT_EQ(SelectBestModel(*snapshot_, request).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SelectBestModel(*snapshot_, Request("redfish")).status().code(),
            absl::StatusCode::kNotFound);
  request = Request();
  request.pipeline_name = "std_v0.7.11";
  EXPECT_EQ(SelectBestModel(*snapshot_, request).status().code(), absl::StatusCode::kNotFound);
  request.pipeline_name = "ec2-0.7.11";
  EXPECT_EQ(Selected(request), "KNeighborsRegressorTrainer_1");
}

// A pipeline with node types 1 and 10, to pin parsed (not substring) node-type matching.
class NodeTypeNamesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / "node_type_names";
    fs::remove_all(root_);
    fs::path group = root_ / "p" / "rapl-sysfs" / "AbsPower" / "BPFOnly";
    fs::create_directories(group);
    std::ofstream(root_ / "p" / "metadata.json") << "{}";
    AddModel(group, "SGDRegressorTrainer_1", 9.0);
    AddModel(group, "SGDRegressorTrainer_10", 1.0);
    AddModel(group, "SGDRegressorTrainerX_1", 0.5);
  }
  void AddModel(const fs::path& group, const std::string& name, double mae) {
    fs::create_directories(group / name);
    std::ofstream(group / name / "metadata.json")
        << R"({"model_name":")" << name << R"(","features":["bpf_cpu_time_ms"],"mae":)" << mae
        << "}";
    std::ofstream(group / (name + ".zip")) << "zip";
  }
  fs::path root_;
};

TEST_F(NodeTypeNamesTest, NodeTypeOneDoesNotMatchTen) {
  Snapshot snapshot(LoadPipelines(root_.string()), absl::Now());
  SelectionRequest request;
  request.metrics = kBpfMetrics;
  request.node_type = 1;
  request.trainer_name = "SGDRegressorTrainer";
  auto selection = SelectBestModel(snapshot, request);
  ASSERT_TRUE(selection.ok()) << selection.status();
  EXPECT_EQ(selection->model->metadata.model_name(), "SGDRegressorTrainer_1");
}

}  // namespace
}  // namespace kepler::model::server
