// Node types: machine specs, node_type_index.json and spec matching (contract §2.5).
//
// A model is trained per node type; a node type is a machine spec (processor, cores, chips,
// memory in GiB, frequency in MHz) plus the machines seen with it. The server resolves a client's
// machine spec to a node type with NodeTypeIndex::GetNodeType(); the trainer registers machines
// with IndexTrainMachine(). Values are typed once at the edge (JSON, proto) so that matching never
// has to guess: an attribute either has a value or it does not.
#ifndef KEPLER_CORE_NODE_TYPE_H_
#define KEPLER_CORE_NODE_TYPE_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kepler/model/v1/types.pb.h"
#include "rapidjson/document.h"

namespace kepler::model::core {

// The five matching attributes of a machine. nullopt means "has no value" in the sense of §2.5:
// absent, null, "", 0 or negative all parse to nullopt, so a present value is a non-empty
// processor or a number > 0. The reference also distinguishes "null" from "present but
// valueless" (-1) when counting unknown attributes; we do not, which only makes uncertainty
// account for every attribute that cannot be matched.
struct NodeSpec {
  std::optional<std::string> processor;
  std::optional<double> cores;
  std::optional<double> chips;
  std::optional<double> memory;
  std::optional<double> frequency;

  // Number of the five attributes without a value (0..5).
  int NumMissing() const;
  // True when all five attributes have a value (required to register a training machine).
  bool IsComplete() const { return NumMissing() == 0; }
  // True when no attribute has a value.
  bool IsEmpty() const { return NumMissing() == 5; }

  friend bool operator==(const NodeSpec& a, const NodeSpec& b);
  friend bool operator!=(const NodeSpec& a, const NodeSpec& b) { return !(a == b); }
};

// Reads a spec object. Each of the five keys may be a string (processor, or a decimal number for
// the others), a number (4 or 4.0), null, or absent; other keys (vendor, threads_per_core) are
// ignored. The reference's Python >= 3.11 keys ("NodeAttribute.CORES") are accepted as aliases
// so that indexes it wrote still load. InvalidArgument for a non-object, a processor that is not
// a string, or a numeric attribute that is a bool, object, array, non-finite or not a number
// (the reference raises there and answers 500).
[[nodiscard]] absl::StatusOr<NodeSpec> NodeSpecFromJson(const rapidjson::Value& value);
[[nodiscard]] absl::StatusOr<NodeSpec> ParseNodeSpecJson(absl::string_view json_text);

// Writes {"processor":..,"cores":..,"chips":..,"memory":..,"frequency":..} in that order, null
// for a missing attribute. Integral numbers are written as JSON integers (96, never 96.0): Kepler
// decodes machine_spec into Go ints and rejects the whole body otherwise (kepler-clients §1.4).
rapidjson::Value NodeSpecToJsonValue(const NodeSpec& spec,
                                     rapidjson::Document::AllocatorType& allocator);
std::string SpecToJson(const NodeSpec& spec);

// Proto conversions. Proto3 integers cannot say "absent", so 0 and "" mean "no value" both ways;
// a fractional value is rounded to the nearest integer (production specs are integral).
NodeSpec NodeSpecFromProto(const v1::MachineSpec& proto);
v1::MachineSpec NodeSpecToProto(const NodeSpec& spec);

// True when `a` covers `b`: every attribute that has a value in `b` has the same value in `a`
// (numbers compared as doubles, so 96 == 96.0; processor compared exactly). An empty `b` is
// covered by every spec.
bool Covers(const NodeSpec& a, const NodeSpec& b);

// Processor similarity: 1 if equal ignoring ASCII case (also when both are empty), 0 if one is
// empty, else 0.5 x the Jaccard index of their lower-cased character sets ("abcd" vs "abcdefgh"
// gives 0.25).
double ProcessorSimilarity(absl::string_view a, absl::string_view b);

// Numeric similarity: 1 - |b - a| / ((a + b) / 2), or 0 when that distance is >= 1; 1 when both
// are <= 0.
double NumericSimilarity(double a, double b);

// How similar entry `a` is to the requested spec `b`, in [0, 1]: a weighted sum over the
// attributes `b` has (processor 5, cores 1, chips 1, memory 0.5, frequency 0.5, out of 8). An
// attribute `a` lacks contributes 0.
double Similarity(const NodeSpec& a, const NodeSpec& b);

// One entry of node_type_index.json.
struct NodeType {
  NodeSpec attrs;
  std::vector<std::string> members;  // machine ids; the member count weighs ties
};

// The answer of NodeTypeIndex::GetNodeType().
struct NodeTypeMatch {
  int index = -1;           // node type, or -1 when none matches
  double uncertainty = -1;  // 1 - the chosen type's share of the members of all types that
                            // cover the (loosened) spec; 0 for an exact or unique match
  double looseness = -1;    // 0 unless found by loose search: 1 - similarity
};

// The node types of one pipeline, keyed by node type number and kept in ascending order. The
// reference scans in file order; every published index is written in ascending order, so
// ascending order gives the same answers and does not depend on how a file was written.
//
// Thread safety: const methods may run concurrently; IndexTrainMachine() needs exclusive access.
// The server holds an index inside an immutable snapshot and never mutates it.
class NodeTypeIndex {
 public:
  NodeTypeIndex() = default;

  // Parses node_type_index.json: {"<n>": {"attrs": {...}, "members": [...]}, ...}. Keys must be
  // non-negative decimal integers; "attrs" is required, "members" optional (empty). Any
  // malformed part gives InvalidArgument naming the key.
  [[nodiscard]] static absl::StatusOr<NodeTypeIndex> Parse(absl::string_view json_text);
  [[nodiscard]] static absl::StatusOr<NodeTypeIndex> FromJson(const rapidjson::Value& value);

  // The file format again, keys ascending, attributes written by NodeSpecToJsonValue().
  std::string ToJson() const;

  // The entry of node type `index`, or nullptr when the index has none.
  const NodeType* Find(int index) const;
  size_t size() const { return types_.size(); }
  bool empty() const { return types_.empty(); }
  const std::map<int, NodeType>& types() const { return types_; }

  // Resolves a machine spec to a node type, following §2.5 steps 1-6: an exact cover wins with
  // (index, 0, 0); a partial spec goes to the covering type with the most members; with
  // `loose_search`, an uncovered spec goes to the most similar type with looseness > 0.
  // Two reference defects are fixed (see node_type.cc): covering types that all have zero
  // members still match, and loose-search uncertainty counts each unknown attribute once.
  NodeTypeMatch GetNodeType(const NodeSpec& spec, bool loose_search) const;

  // §2.3 step 6 fallback: those of `candidates` (model node types, in the given order) whose
  // entry has the largest cores. Types absent from the index are dropped; empty when no
  // candidate has a cores value, in which case the caller keeps all candidates.
  std::vector<int> LargestCoresTypes(const std::vector<int>& candidates) const;

  // Training side: registers `machine_id` under the node type covering `spec`, allocating
  // max + 1 (0 for an empty index) when none does. Returns the node type. InvalidArgument when
  // `spec` is not complete. Adding an existing member is a no-op.
  [[nodiscard]] absl::StatusOr<int> IndexTrainMachine(absl::string_view machine_id,
                                                      const NodeSpec& spec);

 private:
  // What one pass over the index finds (§2.5 step 2).
  struct Scan {
    int exact = -1;             // first type covering a complete spec
    std::vector<int> covering;  // types covering an incomplete spec
    int most_similar = -1;      // loose search only
    double max_similarity = -1;
    size_t most_similar_members = 0;
  };
  Scan ScanFor(const NodeSpec& spec, bool loose_search) const;
  size_t TotalMembers(const std::vector<int>& numbers) const;
  NodeTypeMatch BestCovering(const std::vector<int>& covering) const;
  NodeTypeMatch LooseMatch(const NodeSpec& spec, const Scan& scan) const;

  std::map<int, NodeType> types_;
};

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_NODE_TYPE_H_
