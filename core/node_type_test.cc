#include "core/node_type.h"

#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

// Fixtures (testdata/README.md): the published ec2 and specpower indexes and the reference's
// machine spec of an m5.metal host.
constexpr char kEc2Index[] = "testdata/model-db/ec2-0.7.11/node_type_index.json";
constexpr char kSpecpowerIndex[] = "testdata/model-db/specpower-0.7.11/node_type_index.json";
constexpr char kMachineSpec[] = "testdata/prom/machine_spec.json";

std::string ReadTestFile(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

NodeTypeIndex ParseIndex(const std::string& text) {
  absl::StatusOr<NodeTypeIndex> index = NodeTypeIndex::Parse(text);
  EXPECT_TRUE(index.ok()) << index.status();
  return index.ok() ? *std::move(index) : NodeTypeIndex();
}

NodeTypeIndex LoadIndex(const std::string& path) { return ParseIndex(ReadTestFile(path)); }

NodeSpec Spec(const std::string& json) {
  absl::StatusOr<NodeSpec> spec = ParseNodeSpecJson(json);
  EXPECT_TRUE(spec.ok()) << spec.status() << " for " << json;
  return spec.ok() ? *spec : NodeSpec();
}

NodeSpec M5Metal() { return NodeSpec{"intel_xeon_platinum_8259cl", 96, 2, 377, 3500}; }

// --- NodeSpec parsing and writing -------------------------------------------------------------

// The "has a value" table of §2.5 (model_server_test's attr_has_value), for every numeric key.
class NodeSpecHasValueTest
    : public testing::TestWithParam<std::tuple<const char*, std::tuple<const char*, bool>>> {};

TEST_P(NodeSpecHasValueTest, FollowsHasValueRule) {
  const auto& [key, value_case] = GetParam();
  const auto& [literal, has_value] = value_case;
  NodeSpec spec = Spec(absl::StrCat("{\"", key, "\": ", literal, "}"));
  EXPECT_EQ(spec.NumMissing(), has_value ? 4 : 5) << key << " = " << literal;
}

INSTANTIATE_TEST_SUITE_P(
    NumericKeys, NodeSpecHasValueTest,
    testing::Combine(testing::Values("cores", "chips", "memory", "frequency"),
                     testing::Values(std::make_tuple("\"\"", false), std::make_tuple("null", false),
                                     std::make_tuple("0", false), std::make_tuple("\"0\"", false),
                                     std::make_tuple("-1", false), std::make_tuple("\"-1\"", false),
                                     std::make_tuple("0.0", false), std::make_tuple("\"1\"", true),
                                     std::make_tuple("1", true), std::make_tuple("4.0", true),
                                     std::make_tuple("\"4.0\"", true))));

TEST(NodeSpecTest, ProcessorHasValueOnlyWhenNonEmptyString) {
  EXPECT_FALSE(Spec(R"({"processor": ""})").processor.has_value());
  EXPECT_FALSE(Spec(R"({"processor": null})").processor.has_value());
  EXPECT_FALSE(Spec(R"({})").processor.has_value());
  EXPECT_EQ(Spec(R"({"processor": "some"})").processor, "some");
}

TEST(NodeSpecTest, ParsesIntsFloatsAndNumericStrings) {
  NodeSpec spec = Spec(
      R"({"processor": "x", "cores": 4.0, "chips": "2", "memory": 377, "frequency": "3500.0"})");
  EXPECT_EQ(spec, (NodeSpec{"x", 4, 2, 377, 3500}));
  EXPECT_TRUE(spec.IsComplete());
}

TEST(NodeSpecTest, IgnoresKeplerOnlyKeys) {
  // Kepler v0.7.12's request body and the ec2 configmap's vendor:"" / threads_per_core:0.
  EXPECT_EQ(Spec(R"({"vendor":"genuineintel","processor":"intel_xeon_platinum_8259cl","cores":96,)"
                 R"("chips":2,"memory":377,"frequency":3500,"threads_per_core":2})"),
            M5Metal());
  EXPECT_TRUE(Spec(R"({"vendor": "", "threads_per_core": 0})").IsEmpty());
}

TEST(NodeSpecTest, AcceptsKeysWrittenByPython311Reference) {
  NodeSpec spec = Spec(R"({"NodeAttribute.PROCESSOR": "p", "NodeAttribute.CORES": 8,
                           "NodeAttribute.CHIPS": 1, "NodeAttribute.MEMORY": 16,
                           "NodeAttribute.FREQ": 2400})");
  EXPECT_EQ(spec, (NodeSpec{"p", 8, 1, 16, 2400}));
}

TEST(NodeSpecTest, ReadsReferenceMachineSpecFixture) {
  EXPECT_EQ(Spec(ReadTestFile(kMachineSpec)), M5Metal());
}

class NodeSpecRejectTest : public testing::TestWithParam<const char*> {};

TEST_P(NodeSpecRejectTest, RejectsWithInvalidArgument) {
  absl::StatusOr<NodeSpec> spec = ParseNodeSpecJson(GetParam());
  ASSERT_FALSE(spec.ok()) << GetParam();
  EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Malformed, NodeSpecRejectTest,
                         testing::Values("[]", "null", "{", R"({"processor": 8259})",
                                         R"({"cores": "many"})", R"({"cores": " "})",
                                         R"({"cores": true})", R"({"memory": [1]})",
                                         R"({"chips": {}})", R"({"frequency": "inf"})"));

TEST(NodeSpecTest, SpecToJsonWritesIntegralValuesAsIntegers) {
  NodeSpec specpower = Spec(
      R"({"processor": "intel_xeon_x3360", "cores": 4.0, "chips": 1.0, "memory": 4.0,
          "frequency": 2800.0})");
  EXPECT_EQ(SpecToJson(specpower),
            R"({"processor":"intel_xeon_x3360","cores":4,"chips":1,"memory":4,"frequency":2800})");
}

TEST(NodeSpecTest, SpecToJsonKeepsFractionsAndWritesNullForMissing) {
  EXPECT_EQ(SpecToJson(NodeSpec{std::nullopt, 2.5, std::nullopt, 0.5, std::nullopt}),
            R"({"processor":null,"cores":2.5,"chips":null,"memory":0.5,"frequency":null})");
}

TEST(NodeSpecTest, ProtoRoundTripTreatsZeroAsNoValue) {
  v1::MachineSpec proto = NodeSpecToProto(M5Metal());
  EXPECT_EQ(proto.processor(), "intel_xeon_platinum_8259cl");
  EXPECT_EQ(proto.cores(), 96);
  EXPECT_EQ(proto.frequency(), 3500);
  EXPECT_EQ(NodeSpecFromProto(proto), M5Metal());

  v1::MachineSpec partial;
  partial.set_memory(377);
  partial.set_vendor("genuineintel");
  partial.set_threads_per_core(2);
  EXPECT_EQ(NodeSpecFromProto(partial),
            (NodeSpec{std::nullopt, std::nullopt, std::nullopt, 377, std::nullopt}));
  EXPECT_EQ(NodeSpecToProto(NodeSpec{}).cores(), 0);
}

// Found by fuzz/model_request_json_fuzzer: {"machine_spec":{"memory":39010719925474099377}} gave
// memory INT64_MIN, which reads back as "no value".
TEST(NodeSpecTest, ProtoSaturatesValuesBeyondInt64) {
  v1::MachineSpec proto =
      NodeSpecToProto(NodeSpec{std::nullopt, 0x1p63, std::nullopt, 3.9e19, std::nullopt});
  EXPECT_EQ(proto.cores(), INT64_MAX);
  EXPECT_EQ(proto.memory(), INT64_MAX);
  EXPECT_TRUE(NodeSpecFromProto(proto).memory.has_value());
  EXPECT_EQ(NodeSpecToProto(NodeSpec{std::nullopt, 0x1p62, std::nullopt, std::nullopt,
                                     std::nullopt}).cores(),
            int64_t{1} << 62);
}

// --- Similarity and cover ---------------------------------------------------------------------

TEST(SimilarityTest, ProcessorSimilarityMatchesReferenceJaccardCases) {
  // model_select_test.test_compute_jaccard_similarity.
  EXPECT_EQ(ProcessorSimilarity("", ""), 1.0);
  EXPECT_EQ(ProcessorSimilarity("", "some"), 0.0);
  EXPECT_EQ(ProcessorSimilarity("intel_xeon_platinum_8259cl", "intel_xeon_platinum_8259cl"), 1.0);
  EXPECT_EQ(ProcessorSimilarity("abcd", "abcdefgh"), 0.25);
  EXPECT_EQ(ProcessorSimilarity("Intel_Xeon", "intel_xeon"), 1.0);
}

TEST(SimilarityTest, NumericSimilarityIsOneMinusRelativeDistance) {
  EXPECT_EQ(NumericSimilarity(96, 96), 1.0);
  EXPECT_DOUBLE_EQ(NumericSimilarity(100, 50), 1.0 - 50.0 / 75.0);
  EXPECT_EQ(NumericSimilarity(1, 3), 0.0);  // distance exactly 1
  EXPECT_EQ(NumericSimilarity(0, 0), 1.0);
}

TEST(SimilarityTest, WeighsProcessorFiveEighths) {
  NodeSpec entry = M5Metal();
  EXPECT_EQ(Similarity(entry, NodeSpec{"intel_xeon_platinum_8259cl"}), 5.0 / 8);
  EXPECT_EQ(Similarity(entry, NodeSpec{std::nullopt, 96.0, 2.0}), 2.0 / 8);
  EXPECT_EQ(Similarity(entry, NodeSpec{}), 0.0);
  EXPECT_EQ(Similarity(NodeSpec{}, M5Metal()), 0.0);
}

class IndexSimilarityTest : public testing::TestWithParam<const char*> {};

// model_select_test.test_similarity_computation, on both published indexes.
TEST_P(IndexSimilarityTest, SameTypeIsOneOthersWithinUnitInterval) {
  NodeTypeIndex index = LoadIndex(GetParam());
  for (const auto& [a_number, a] : index.types()) {
    for (const auto& [b_number, b] : index.types()) {
      double similarity = Similarity(a.attrs, b.attrs);
      if (a_number == b_number) {
        EXPECT_EQ(similarity, 1.0) << a_number;
      } else {
        EXPECT_GE(similarity, 0.0) << a_number << " vs " << b_number;
        EXPECT_LE(similarity, 1.0) << a_number << " vs " << b_number;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(PublishedIndexes, IndexSimilarityTest,
                         testing::Values(kEc2Index, kSpecpowerIndex));

TEST(CoversTest, ComparesOnlyAttributesTheSpecHas) {
  NodeSpec entry = M5Metal();
  EXPECT_TRUE(Covers(entry, NodeSpec{}));
  EXPECT_TRUE(
      Covers(entry, Spec(R"({"processor": "intel_xeon_platinum_8259cl", "memory": "377"})")));
  EXPECT_TRUE(Covers(entry, Spec(R"({"cores": 96.0, "memory": -1})")));
  EXPECT_FALSE(Covers(entry, Spec(R"({"cores": 48})")));
  EXPECT_FALSE(Covers(entry, Spec(R"({"processor": "INTEL_XEON_PLATINUM_8259CL"})")));
  EXPECT_FALSE(Covers(NodeSpec{"intel_xeon_platinum_8259cl"}, Spec(R"({"cores": 96})")));
}

// --- NodeTypeIndex parsing ---------------------------------------------------------------------

TEST(NodeTypeIndexTest, ParsesEc2Index) {
  NodeTypeIndex index = LoadIndex(kEc2Index);
  ASSERT_EQ(index.size(), 6u);
  ASSERT_NE(index.Find(0), nullptr);
  EXPECT_EQ(index.Find(0)->attrs, M5Metal());
  EXPECT_EQ(index.Find(0)->members, std::vector<std::string>{"m5.metal-ami-0e4d0bb9670ea8db0"});
  EXPECT_EQ(index.Find(5)->attrs, (NodeSpec{"intel_xeon_platinum_8488c", 96, 1, 377, 3800}));
  EXPECT_EQ(index.Find(6), nullptr);
  EXPECT_EQ(index.Find(-1), nullptr);
}

TEST(NodeTypeIndexTest, ParsesFloatValuedSpecpowerIndex) {
  NodeTypeIndex index = LoadIndex(kSpecpowerIndex);
  ASSERT_EQ(index.size(), 12u);
  EXPECT_EQ(index.Find(0)->attrs, (NodeSpec{"intel_xeon_x3360", 4, 1, 4, 2800}));
  EXPECT_EQ(index.Find(0)->members.size(), 8u);
  EXPECT_EQ(index.Find(11)->members.size(), 13u);
}

TEST(NodeTypeIndexTest, KeepsNodeTypesInAscendingNumericOrder) {
  NodeTypeIndex index = ParseIndex(R"({"10": {"attrs": {"cores": 1}}, "2": {"attrs": {}},
                                       "0": {"attrs": {}, "members": null}})");
  std::vector<int> numbers;
  for (const auto& [number, node_type] : index.types()) numbers.push_back(number);
  EXPECT_EQ(numbers, (std::vector<int>{0, 2, 10}));
}

TEST(NodeTypeIndexTest, ToJsonRoundTripsWithIntegerValues) {
  NodeTypeIndex index = LoadIndex(kSpecpowerIndex);
  std::string json = index.ToJson();
  EXPECT_NE(json.find(R"("0":{"attrs":{"processor":"intel_xeon_x3360","cores":4,"chips":1,)"
                      R"("memory":4,"frequency":2800},"members":["asustek-)"),
            std::string::npos)
      << json;
  EXPECT_EQ(json.find(".0,"), std::string::npos) << json;
  NodeTypeIndex again = ParseIndex(json);
  ASSERT_EQ(again.size(), index.size());
  for (const auto& [number, node_type] : index.types()) {
    EXPECT_EQ(again.Find(number)->attrs, node_type.attrs);
    EXPECT_EQ(again.Find(number)->members, node_type.members);
  }
}

class NodeTypeIndexRejectTest : public testing::TestWithParam<const char*> {};

TEST_P(NodeTypeIndexRejectTest, RejectsWithInvalidArgument) {
  absl::StatusOr<NodeTypeIndex> index = NodeTypeIndex::Parse(GetParam());
  ASSERT_FALSE(index.ok()) << GetParam();
  EXPECT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Malformed, NodeTypeIndexRejectTest,
                         testing::Values("", "[]", R"({"a": {"attrs": {}}})",
                                         R"({"-1": {"attrs": {}}})",
                                         R"({"99999999999": {"attrs": {}}})", R"({"0": 5})",
                                         R"({"0": {}})", R"({"0": {"attrs": {}, "members": [1]}})",
                                         R"({"0": {"attrs": {}, "members": "m"}})",
                                         R"({"0": {"attrs": {"cores": "x"}}})",
                                         R"({"0": {"attrs": {}}, "00": {"attrs": {}}})"));

// --- GetNodeType: model_select_test over every published node type ----------------------------

class PublishedNodeTypeTest : public testing::TestWithParam<std::tuple<const char*, int>> {
 protected:
  void SetUp() override {
    index_ = LoadIndex(std::get<0>(GetParam()));
    number_ = std::get<1>(GetParam());
    ASSERT_NE(index_.Find(number_), nullptr);
    attrs_ = index_.Find(number_)->attrs;
  }
  NodeTypeIndex index_;
  int number_ = -1;
  NodeSpec attrs_;
};

TEST_P(PublishedNodeTypeTest, ExactCopyMatchesWithZeroUncertainty) {
  for (bool loose : {false, true}) {
    NodeTypeMatch match = index_.GetNodeType(attrs_, loose);
    EXPECT_EQ(match.index, number_) << "loose=" << loose;
    EXPECT_EQ(match.uncertainty, 0.0);
    EXPECT_EQ(match.looseness, 0.0);
  }
}

TEST_P(PublishedNodeTypeTest, ProcessorAndMemoryAloneSelectType) {
  NodeSpec spec{attrs_.processor, std::nullopt, std::nullopt, attrs_.memory, std::nullopt};
  for (bool loose : {false, true}) {
    NodeTypeMatch match = index_.GetNodeType(spec, loose);
    EXPECT_EQ(match.index, number_) << "loose=" << loose;
    EXPECT_EQ(match.uncertainty, 0.0);  // the only covering type
    EXPECT_EQ(match.looseness, 0.0);
  }
}

TEST_P(PublishedNodeTypeTest, ProcessorWithoutLastTokenSelectsTypeOnlyLoosely) {
  NodeSpec spec = attrs_;
  spec.processor = spec.processor->substr(0, spec.processor->rfind('_'));
  EXPECT_EQ(index_.GetNodeType(spec, /*loose_search=*/false).index, -1);
  NodeTypeMatch match = index_.GetNodeType(spec, /*loose_search=*/true);
  EXPECT_EQ(match.index, number_) << *spec.processor;
  EXPECT_GT(match.looseness, 0.0);
  EXPECT_LE(match.looseness, 5.0 / 8);  // only the processor was off
  EXPECT_EQ(match.uncertainty, 0.0);    // the other four attributes single this type out
}

INSTANTIATE_TEST_SUITE_P(Ec2, PublishedNodeTypeTest,
                         testing::Combine(testing::Values(kEc2Index), testing::Range(0, 6)));
INSTANTIATE_TEST_SUITE_P(Specpower, PublishedNodeTypeTest,
                         testing::Combine(testing::Values(kSpecpowerIndex), testing::Range(0, 12)));

TEST(NodeTypeIndexTest, LoosenessEqualsReferenceValues) {
  // Values the reference's get_node_type(spec, loose_search=True) returns for the ec2 index with
  // the processor's last token removed (e.g. "intel_xeon_platinum").
  const std::vector<std::pair<int, double>> expected = {
      {0, 0.40441176470588236}, {1, 0.4241071428571428}, {4, 0.390625}, {5, 0.375}};
  NodeTypeIndex index = LoadIndex(kEc2Index);
  for (const auto& [number, looseness] : expected) {
    NodeSpec spec = index.Find(number)->attrs;
    spec.processor = spec.processor->substr(0, spec.processor->rfind('_'));
    NodeTypeMatch match = index.GetNodeType(spec, /*loose_search=*/true);
    EXPECT_EQ(match.index, number);
    EXPECT_NEAR(match.looseness, looseness, 1e-12) << number;
  }
}

// --- GetNodeType: the rest of test_get_node_type and the algorithm's corners -----------------

TEST(NodeTypeIndexTest, EmptySpecMatchesSomeTypeWithoutLooseness) {
  NodeTypeIndex index = LoadIndex(kEc2Index);
  NodeTypeMatch match = index.GetNodeType(NodeSpec{}, /*loose_search=*/false);
  EXPECT_EQ(match.index, 0);  // all six cover it with one member each: the first wins
  EXPECT_DOUBLE_EQ(match.uncertainty, 1.0 - 1.0 / 6);
  EXPECT_EQ(match.looseness, 0.0);
  EXPECT_EQ(index.GetNodeType(NodeSpec{}, /*loose_search=*/true).index, 0);
}

TEST(NodeTypeIndexTest, UncoveredProcessorMatchesOnlyWithLooseSearch) {
  NodeTypeIndex index = LoadIndex(kEc2Index);
  NodeSpec spec{"unconvered"};
  NodeTypeMatch strict = index.GetNodeType(spec, /*loose_search=*/false);
  EXPECT_EQ(strict.index, -1);
  EXPECT_EQ(strict.uncertainty, -1.0);
  EXPECT_EQ(strict.looseness, -1.0);
  NodeTypeMatch loose = index.GetNodeType(spec, /*loose_search=*/true);
  EXPECT_NE(loose.index, -1);
  EXPECT_GT(loose.looseness, 0.0);
  // The reference's answer: type 5 ("..._8488c" shares the most characters), looseness
  // 1 - 0.625 x 0.5 x 5/18 (5 shared of 18 distinct characters). Its uncertainty is 0.907
  // because it counts the four null attributes twice; loosened to the empty spec that all six
  // types cover once each, ours is 1 - 1/6.
  EXPECT_EQ(loose.index, 5);
  EXPECT_NEAR(loose.looseness, 0.9131944444444444, 1e-12);
  EXPECT_DOUBLE_EQ(loose.uncertainty, 1.0 - 1.0 / 6);
}

TEST(NodeTypeIndexTest, EmptyIndexMatchesNothing) {
  NodeTypeMatch match = NodeTypeIndex().GetNodeType(M5Metal(), /*loose_search=*/true);
  EXPECT_EQ(match.index, -1);
  EXPECT_EQ(match.uncertainty, -1.0);
  EXPECT_EQ(match.looseness, -1.0);
}

TEST(NodeTypeIndexTest, ReferenceMachineSpecMatchesM5MetalType) {
  NodeTypeMatch match =
      LoadIndex(kEc2Index).GetNodeType(Spec(ReadTestFile(kMachineSpec)), /*loose_search=*/true);
  EXPECT_EQ(match.index, 0);
  EXPECT_EQ(match.uncertainty, 0.0);
}

TEST(NodeTypeIndexTest, PartialSpecPrefersCoveringTypeWithMoreMembers) {
  // specpower types 10 (1 member) and 11 (13 members) differ only in memory.
  NodeTypeIndex index = LoadIndex(kSpecpowerIndex);
  NodeSpec spec{"intel_xeon_l5430", 8.0, 2.0, std::nullopt, 2700.0};
  NodeTypeMatch match = index.GetNodeType(spec, /*loose_search=*/false);
  EXPECT_EQ(match.index, 11);
  EXPECT_DOUBLE_EQ(match.uncertainty, 1.0 - 13.0 / 14);
  EXPECT_EQ(match.looseness, 0.0);
}

TEST(NodeTypeIndexTest, CoveringTieGoesToLowestNumberWhateverTheFileOrder) {
  NodeTypeIndex index = ParseIndex(R"({"7": {"attrs": {"cores": 4}, "members": ["a"]},
                                       "3": {"attrs": {"cores": 4}, "members": ["b"]}})");
  EXPECT_EQ(index.GetNodeType(Spec(R"({"cores": 4})"), false).index, 3);
}

TEST(NodeTypeIndexTest, SimilarityTieGoesToTypeWithMoreMembers) {
  NodeTypeIndex index = ParseIndex(R"({
      "0": {"attrs": {"processor": "a", "cores": 4, "chips": 1, "memory": 8, "frequency": 2000},
            "members": ["m1"]},
      "1": {"attrs": {"processor": "a", "cores": 4, "chips": 1, "memory": 8, "frequency": 2000},
            "members": ["m2", "m3", "m4"]}})");
  NodeSpec spec{"b", 4.0, 1.0, 8.0, 2000.0};
  EXPECT_EQ(index.GetNodeType(spec, /*loose_search=*/false).index, -1);
  NodeTypeMatch match = index.GetNodeType(spec, /*loose_search=*/true);
  EXPECT_EQ(match.index, 1);
  EXPECT_DOUBLE_EQ(match.looseness, 1.0 - 3.0 / 8);  // only the numbers were similar
  EXPECT_DOUBLE_EQ(match.uncertainty, 1.0 - 3.0 / 4);
}

TEST(NodeTypeIndexTest, CaseOnlyProcessorDifferenceIsExactUnderLooseSearch) {
  // §2.5 step 3: cover compares processors exactly, similarity ignores case.
  NodeTypeIndex index = LoadIndex(kEc2Index);
  NodeSpec spec = M5Metal();
  spec.processor = "INTEL_XEON_PLATINUM_8259CL";
  EXPECT_EQ(index.GetNodeType(spec, /*loose_search=*/false).index, -1);
  NodeTypeMatch match = index.GetNodeType(spec, /*loose_search=*/true);
  EXPECT_EQ(match.index, 0);
  EXPECT_EQ(match.uncertainty, 0.0);
  EXPECT_EQ(match.looseness, 0.0);
}

TEST(NodeTypeIndexTest, CoveringTypesWithoutMembersStillMatch) {
  // The reference answers -1 here (every score is skipped when the member total is 0).
  NodeTypeIndex index = ParseIndex(R"({"0": {"attrs": {"cores": 4}, "members": []},
                                       "1": {"attrs": {"cores": 4}, "members": []}})");
  NodeTypeMatch match = index.GetNodeType(Spec(R"({"cores": 4})"), false);
  EXPECT_EQ(match.index, 0);
  EXPECT_EQ(match.uncertainty, 1.0);
}

// --- Selection fallback and training side ------------------------------------------------------

TEST(NodeTypeIndexTest, LargestCoresTypesKeepsCandidatesWithMostCores) {
  NodeTypeIndex index = LoadIndex(kEc2Index);  // cores: 96, 72, 96, 96, 48, 96
  EXPECT_EQ(index.LargestCoresTypes({1, 4, 2, 0}), (std::vector<int>{2, 0}));
  EXPECT_EQ(index.LargestCoresTypes({4, 1, 1}), (std::vector<int>{1, 1}));
  EXPECT_EQ(index.LargestCoresTypes({99, 4}), (std::vector<int>{4}));
  EXPECT_TRUE(index.LargestCoresTypes({99}).empty());
  EXPECT_TRUE(index.LargestCoresTypes({}).empty());
  NodeTypeIndex no_cores = ParseIndex(R"({"0": {"attrs": {"processor": "p", "cores": 0}}})");
  EXPECT_TRUE(no_cores.LargestCoresTypes({0}).empty());
}

TEST(NodeTypeIndexTest, IndexTrainMachineReusesOrAllocatesTypes) {
  NodeTypeIndex index;
  NodeSpec small{"p", 4.0, 1.0, 8.0, 2000.0};
  NodeSpec large{"p", 64.0, 2.0, 256.0, 3000.0};
  EXPECT_EQ(index.IndexTrainMachine("m1", small).value_or(-1), 0);
  EXPECT_EQ(index.IndexTrainMachine("m2", small).value_or(-1), 0);
  EXPECT_EQ(index.IndexTrainMachine("m1", small).value_or(-1), 0);
  EXPECT_EQ(index.IndexTrainMachine("m3", large).value_or(-1), 1);
  EXPECT_EQ(index.Find(0)->members, (std::vector<std::string>{"m1", "m2"}));
  EXPECT_EQ(index.Find(1)->attrs, large);
  EXPECT_EQ(index.Find(1)->members, std::vector<std::string>{"m3"});
}

TEST(NodeTypeIndexTest, IndexTrainMachineExtendsPublishedIndex) {
  NodeTypeIndex index = LoadIndex(kEc2Index);
  NodeSpec r5 = Spec(R"({"processor": "intel_xeon_platinum_8259cl", "cores": 96.0,
                         "chips": "2", "memory": 755, "frequency": 3500})");
  EXPECT_EQ(index.IndexTrainMachine("r5.metal-2", r5).value_or(-1), 3);
  EXPECT_EQ(index.Find(3)->members.size(), 2u);
  EXPECT_EQ(index.IndexTrainMachine("new", NodeSpec{"q", 1.0, 1.0, 1.0, 1.0}).value_or(-1), 6);
}

TEST(NodeTypeIndexTest, IndexTrainMachineRejectsIncompleteSpec) {
  NodeTypeIndex index;
  // pipeline_test's machine: memory and frequency -1 have no value.
  NodeSpec spec = Spec(R"({"processor": "test", "cores": 1, "chips": 1, "memory": -1,
                           "frequency": -1})");
  absl::StatusOr<int> number = index.IndexTrainMachine("test", spec);
  ASSERT_FALSE(number.ok());
  EXPECT_EQ(number.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(index.empty());
}

}  // namespace
}  // namespace kepler::model::core
