#include "core/node_type.h"

#include <algorithm>
#include <bitset>
#include <climits>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "rapidjson/error/en.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace kepler::model::core {
namespace {

using JsonValue = rapidjson::Value;

constexpr char kProcessorKey[] = "processor";
constexpr char kProcessorAlias[] = "NodeAttribute.PROCESSOR";
constexpr double kProcessorWeight = 5.0;
constexpr double kTotalWeight = 8.0;  // 5 + 1 + 1 + 0.5 + 0.5

// The numeric attributes, in the reference's NodeAttribute order, with their similarity weights
// and the keys the reference writes under Python >= 3.11 (contract §11.22).
struct NumericAttr {
  const char* key;
  const char* alias;
  std::optional<double> NodeSpec::*field;
  double weight;
};
constexpr NumericAttr kNumericAttrs[] = {
    {"cores", "NodeAttribute.CORES", &NodeSpec::cores, 1.0},
    {"chips", "NodeAttribute.CHIPS", &NodeSpec::chips, 1.0},
    {"memory", "NodeAttribute.MEMORY", &NodeSpec::memory, 0.5},
    {"frequency", "NodeAttribute.FREQ", &NodeSpec::frequency, 0.5},
};

// The value under `key`, else under `alias`, else nullptr.
const JsonValue* FindKey(const JsonValue& object, const char* key, const char* alias) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) it = object.FindMember(alias);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

absl::StatusOr<std::optional<std::string>> ParseProcessor(const JsonValue* value) {
  if (value == nullptr || value->IsNull()) return std::optional<std::string>();
  if (!value->IsString()) return absl::InvalidArgumentError("processor must be a string");
  std::string processor(value->GetString(), value->GetStringLength());
  if (processor.empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(processor));
}

// A number, or a string holding one ("4", "4.0"; "" is no value). Values <= 0 have no value.
absl::StatusOr<std::optional<double>> ParseNumber(const JsonValue* value, const char* key) {
  if (value == nullptr || value->IsNull()) return std::optional<double>();
  double number = 0;
  if (value->IsNumber()) {
    number = value->GetDouble();
  } else if (value->IsString()) {
    absl::string_view text(value->GetString(), value->GetStringLength());
    if (text.empty()) return std::optional<double>();
    if (!absl::SimpleAtod(text, &number)) {
      return absl::InvalidArgumentError(absl::StrCat(key, " is not a number: \"", text, "\""));
    }
  } else {
    return absl::InvalidArgumentError(absl::StrCat(key, " must be a number, a string or null"));
  }
  if (!std::isfinite(number))
    return absl::InvalidArgumentError(absl::StrCat(key, " is not finite"));
  return number > 0 ? std::optional<double>(number) : std::optional<double>();
}

// 96.0 -> 96 (a JSON integer); 2.5 stays a double.
JsonValue NumberValue(double number) {
  constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53
  if (std::floor(number) == number && std::fabs(number) <= kMaxExactInteger) {
    return JsonValue(static_cast<int64_t>(number));
  }
  return JsonValue(number);
}

absl::Status WithContext(const absl::Status& status, absl::string_view context) {
  return absl::Status(status.code(), absl::StrCat(context, ": ", status.message()));
}

absl::StatusOr<int> ParseNodeTypeKey(absl::string_view key) {
  int index = 0;
  bool digits = !key.empty() && std::all_of(key.begin(), key.end(), absl::ascii_isdigit);
  if (!digits || !absl::SimpleAtoi(key, &index)) {
    return absl::InvalidArgumentError(
        absl::StrCat("node type key \"", key, "\" is not a non-negative integer"));
  }
  return index;
}

absl::StatusOr<std::vector<std::string>> ParseMembers(const JsonValue& entry) {
  std::vector<std::string> members;
  auto it = entry.FindMember("members");
  if (it == entry.MemberEnd() || it->value.IsNull()) return members;
  if (!it->value.IsArray()) return absl::InvalidArgumentError("members must be an array");
  for (const JsonValue& member : it->value.GetArray()) {
    if (!member.IsString()) return absl::InvalidArgumentError("members must be strings");
    members.emplace_back(member.GetString(), member.GetStringLength());
  }
  return members;
}

absl::StatusOr<NodeType> ParseNodeType(const JsonValue& entry) {
  if (!entry.IsObject()) return absl::InvalidArgumentError("entry must be an object");
  auto attrs = entry.FindMember("attrs");
  if (attrs == entry.MemberEnd()) return absl::InvalidArgumentError("entry has no attrs");
  NodeType node_type;
  ASSIGN_OR_RETURN(node_type.attrs, NodeSpecFromJson(attrs->value));
  ASSIGN_OR_RETURN(node_type.members, ParseMembers(entry));
  return node_type;
}

// `spec` with every attribute that differs from `entry` dropped (§2.5 step 5).
NodeSpec LoosenTo(const NodeSpec& spec, const NodeSpec& entry) {
  NodeSpec loosened;
  if (spec.processor == entry.processor) loosened.processor = spec.processor;
  for (const NumericAttr& attr : kNumericAttrs) {
    if (spec.*attr.field == entry.*attr.field) loosened.*attr.field = spec.*attr.field;
  }
  return loosened;
}

}  // namespace

int NodeSpec::NumMissing() const {
  int missing = processor.has_value() ? 0 : 1;
  for (const NumericAttr& attr : kNumericAttrs) {
    if (!(this->*attr.field).has_value()) ++missing;
  }
  return missing;
}

bool operator==(const NodeSpec& a, const NodeSpec& b) {
  return a.processor == b.processor && a.cores == b.cores && a.chips == b.chips &&
         a.memory == b.memory && a.frequency == b.frequency;
}

absl::StatusOr<NodeSpec> NodeSpecFromJson(const JsonValue& value) {
  if (!value.IsObject()) return absl::InvalidArgumentError("machine spec must be a JSON object");
  NodeSpec spec;
  ASSIGN_OR_RETURN(spec.processor, ParseProcessor(FindKey(value, kProcessorKey, kProcessorAlias)));
  for (const NumericAttr& attr : kNumericAttrs) {
    ASSIGN_OR_RETURN(spec.*attr.field, ParseNumber(FindKey(value, attr.key, attr.alias), attr.key));
  }
  return spec;
}

absl::StatusOr<NodeSpec> ParseNodeSpecJson(absl::string_view json_text) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(json_text.data(), json_text.size());
  if (doc.HasParseError()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "machine spec is not valid JSON: ", rapidjson::GetParseError_En(doc.GetParseError()),
        " at offset ", doc.GetErrorOffset()));
  }
  return NodeSpecFromJson(doc);
}

JsonValue NodeSpecToJsonValue(const NodeSpec& spec, rapidjson::Document::AllocatorType& allocator) {
  JsonValue object(rapidjson::kObjectType);
  JsonValue processor;
  if (spec.processor)
    processor.SetString(spec.processor->data(), spec.processor->size(), allocator);
  object.AddMember(kProcessorKey, processor, allocator);
  for (const NumericAttr& attr : kNumericAttrs) {
    const std::optional<double>& number = spec.*attr.field;
    object.AddMember(rapidjson::StringRef(attr.key), number ? NumberValue(*number) : JsonValue(),
                     allocator);
  }
  return object;
}

std::string SpecToJson(const NodeSpec& spec) {
  rapidjson::Document doc;
  JsonValue value = NodeSpecToJsonValue(spec, doc.GetAllocator());
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

NodeSpec NodeSpecFromProto(const v1::MachineSpec& proto) {
  NodeSpec spec;
  if (!proto.processor().empty()) spec.processor = proto.processor();
  const int64_t values[] = {proto.cores(), proto.chips(), proto.memory(), proto.frequency()};
  for (size_t i = 0; i < std::size(kNumericAttrs); ++i) {
    if (values[i] > 0) spec.*kNumericAttrs[i].field = static_cast<double>(values[i]);
  }
  return spec;
}

v1::MachineSpec NodeSpecToProto(const NodeSpec& spec) {
  v1::MachineSpec proto;
  // llround is unspecified past int64 (x86 gives INT64_MIN, read back as "no value"): saturate.
  auto rounded = [](const std::optional<double>& v) -> int64_t {
    if (!v) return 0;
    return *v >= 0x1p63 ? INT64_MAX : std::llround(*v);
  };
  if (spec.processor) proto.set_processor(*spec.processor);
  proto.set_cores(rounded(spec.cores));
  proto.set_chips(rounded(spec.chips));
  proto.set_memory(rounded(spec.memory));
  proto.set_frequency(rounded(spec.frequency));
  return proto;
}

bool Covers(const NodeSpec& a, const NodeSpec& b) {
  if (b.processor && a.processor != b.processor) return false;
  for (const NumericAttr& attr : kNumericAttrs) {
    if ((b.*attr.field).has_value() && a.*attr.field != b.*attr.field) return false;
  }
  return true;
}

double ProcessorSimilarity(absl::string_view a, absl::string_view b) {
  std::string lower_a = absl::AsciiStrToLower(a);
  std::string lower_b = absl::AsciiStrToLower(b);
  if (lower_a == lower_b) return 1.0;
  if (lower_a.empty() || lower_b.empty()) return 0.0;
  std::bitset<256> set_a, set_b;
  for (unsigned char c : lower_a) set_a.set(c);
  for (unsigned char c : lower_b) set_b.set(c);
  double intersection = static_cast<double>((set_a & set_b).count());
  return intersection / static_cast<double>((set_a | set_b).count()) * 0.5;
}

double NumericSimilarity(double a, double b) {
  if (a <= 0 && b <= 0) return 1.0;
  double mean = (a + b) / 2;
  if (mean <= 0) return 0.0;
  double distance = std::fabs(b - a) / mean;
  return distance >= 1 ? 0.0 : 1 - distance;
}

double Similarity(const NodeSpec& a, const NodeSpec& b) {
  double total = 0;
  if (b.processor && a.processor) {
    total += ProcessorSimilarity(*a.processor, *b.processor) * kProcessorWeight / kTotalWeight;
  }
  for (const NumericAttr& attr : kNumericAttrs) {
    const std::optional<double>& av = a.*attr.field;
    const std::optional<double>& bv = b.*attr.field;
    if (av && bv) total += NumericSimilarity(*av, *bv) * attr.weight / kTotalWeight;
  }
  return std::min(total, 1.0);
}

absl::StatusOr<NodeTypeIndex> NodeTypeIndex::Parse(absl::string_view json_text) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(json_text.data(), json_text.size());
  if (doc.HasParseError()) {
    return absl::InvalidArgumentError(absl::StrCat("node_type_index.json is not valid JSON: ",
                                                   rapidjson::GetParseError_En(doc.GetParseError()),
                                                   " at offset ", doc.GetErrorOffset()));
  }
  return FromJson(doc);
}

absl::StatusOr<NodeTypeIndex> NodeTypeIndex::FromJson(const JsonValue& value) {
  if (!value.IsObject()) return absl::InvalidArgumentError("node type index must be an object");
  NodeTypeIndex index;
  for (const auto& member : value.GetObject()) {
    absl::string_view key(member.name.GetString(), member.name.GetStringLength());
    ASSIGN_OR_RETURN(int number, ParseNodeTypeKey(key));
    absl::StatusOr<NodeType> node_type = ParseNodeType(member.value);
    if (!node_type.ok()) return WithContext(node_type.status(), absl::StrCat("node type ", key));
    if (!index.types_.emplace(number, *std::move(node_type)).second) {
      return absl::InvalidArgumentError(absl::StrCat("node type ", number, " appears twice"));
    }
  }
  return index;
}

std::string NodeTypeIndex::ToJson() const {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& allocator = doc.GetAllocator();
  for (const auto& [number, node_type] : types_) {
    JsonValue members(rapidjson::kArrayType);
    for (const std::string& id : node_type.members) {
      members.PushBack(JsonValue(id.data(), id.size(), allocator), allocator);
    }
    JsonValue entry(rapidjson::kObjectType);
    entry.AddMember("attrs", NodeSpecToJsonValue(node_type.attrs, allocator), allocator);
    entry.AddMember("members", members, allocator);
    doc.AddMember(JsonValue(std::to_string(number).c_str(), allocator), entry, allocator);
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

const NodeType* NodeTypeIndex::Find(int index) const {
  auto it = types_.find(index);
  return it == types_.end() ? nullptr : &it->second;
}

NodeTypeIndex::Scan NodeTypeIndex::ScanFor(const NodeSpec& spec, bool loose_search) const {
  Scan scan;
  const bool complete = spec.IsComplete();
  for (const auto& [number, node_type] : types_) {
    if (loose_search) {
      double similarity = Similarity(node_type.attrs, spec);
      size_t members = node_type.members.size();
      if (similarity > scan.max_similarity ||
          (similarity == scan.max_similarity && members > scan.most_similar_members)) {
        scan.most_similar = number;
        scan.max_similarity = similarity;
        scan.most_similar_members = members;
      }
    }
    if (!Covers(node_type.attrs, spec)) continue;
    if (complete) {
      scan.exact = number;
      return scan;
    }
    scan.covering.push_back(number);
  }
  return scan;
}

size_t NodeTypeIndex::TotalMembers(const std::vector<int>& numbers) const {
  size_t total = 0;
  for (int number : numbers) total += types_.at(number).members.size();
  return total;
}

// §2.5 step 4. Each unknown attribute gives every covering type members/total, so a type's score
// is num_missing x its member share and the uncertainty is 1 - share. The reference leaves the
// answer at -1 when every covering type has zero members (all scores skipped); we take the first
// covering type with uncertainty 1 instead, since it does cover the spec.
NodeTypeMatch NodeTypeIndex::BestCovering(const std::vector<int>& covering) const {
  const size_t total = TotalMembers(covering);
  int best = covering.front();
  size_t best_members = 0;
  for (int number : covering) {
    size_t members = types_.at(number).members.size();
    if (members > best_members) {
      best = number;
      best_members = members;
    }
  }
  double share = total == 0 ? 0.0 : static_cast<double>(best_members) / total;
  return {best, 1.0 - share, 0.0};
}

// §2.5 step 5. The reference counts an attribute that was already unknown twice when loosening
// (its num_of_none grows for every attribute differing from the most similar type, null or not),
// which inflates the divisor; we count each unknown attribute once.
NodeTypeMatch NodeTypeIndex::LooseMatch(const NodeSpec& spec, const Scan& scan) const {
  const NodeType& most_similar = types_.at(scan.most_similar);
  NodeSpec loosened = LoosenTo(spec, most_similar.attrs);
  std::vector<int> covering;
  for (const auto& [number, node_type] : types_) {
    if (Covers(node_type.attrs, loosened)) covering.push_back(number);
  }
  const size_t total = TotalMembers(covering);
  double share = total == 0 ? 0.0 : static_cast<double>(most_similar.members.size()) / total;
  double uncertainty = loosened.NumMissing() == 0 ? 0.0 : 1.0 - share;
  return {scan.most_similar, uncertainty, 1.0 - scan.max_similarity};
}

NodeTypeMatch NodeTypeIndex::GetNodeType(const NodeSpec& spec, bool loose_search) const {
  if (types_.empty()) return {};
  Scan scan = ScanFor(spec, loose_search);
  if (scan.exact != -1) return {scan.exact, 0.0, 0.0};
  if (loose_search && scan.max_similarity == 1.0) return {scan.most_similar, 0.0, 0.0};
  if (!scan.covering.empty()) return BestCovering(scan.covering);
  if (loose_search && scan.most_similar != -1) return LooseMatch(spec, scan);
  return {};
}

std::vector<int> NodeTypeIndex::LargestCoresTypes(const std::vector<int>& candidates) const {
  double max_cores = 0;
  for (int number : candidates) {
    const NodeType* node_type = Find(number);
    if (node_type && node_type->attrs.cores)
      max_cores = std::max(max_cores, *node_type->attrs.cores);
  }
  std::vector<int> largest;
  if (max_cores <= 0) return largest;
  for (int number : candidates) {
    const NodeType* node_type = Find(number);
    if (node_type && node_type->attrs.cores == max_cores) largest.push_back(number);
  }
  return largest;
}

absl::StatusOr<int> NodeTypeIndex::IndexTrainMachine(absl::string_view machine_id,
                                                     const NodeSpec& spec) {
  if (!spec.IsComplete()) {
    return absl::InvalidArgumentError(
        absl::StrCat("machine ", machine_id, " has an incomplete spec: ", SpecToJson(spec)));
  }
  int number = GetNodeType(spec, /*loose_search=*/false).index;
  if (number == -1) {
    if (!types_.empty() && types_.rbegin()->first == INT_MAX) {
      return absl::OutOfRangeError("no node type number left");
    }
    number = types_.empty() ? 0 : types_.rbegin()->first + 1;
    types_[number].attrs = spec;
  }
  std::vector<std::string>& members = types_[number].members;
  if (std::find(members.begin(), members.end(), machine_id) == members.end()) {
    members.emplace_back(machine_id);
  }
  return number;
}

}  // namespace kepler::model::core
