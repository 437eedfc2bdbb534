#include "trainer/profiler.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/energy_source.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "core/status_macros.h"
#include "rapidjson/document.h"
#include "trainer/extractor.h"
#include "trainer/feature_table.h"

namespace kepler::model::trainer {
namespace {

constexpr char kMinWatt[] = "min_watt";
constexpr char kMaxWatt[] = "max_watt";
constexpr char kUnits[] = "#unit";

// Per row, the mean over `columns` (the component's power per unit).
std::vector<double> MeanPerRow(const FeatureTable& power, const std::vector<int>& columns) {
  std::vector<double> out(power.num_rows(), 0);
  for (size_t row = 0; row < out.size(); ++row) {
    for (int c : columns) out[row] += power.columns[c][row];
    out[row] /= columns.size();
  }
  return out;
}

void ProfileSource(const FeatureTable& power, absl::string_view source,
                   const std::vector<int>& node_types, PowerProfile* profile) {
  const std::vector<double>& row_types = *power.Column(kNodeTypeColumn);
  for (const std::string& component : core::ComponentsOf(source)) {
    std::vector<int> columns;
    for (const std::string& name : power.power_columns) {
      if (ComponentOfPowerColumn(name) == component) columns.push_back(power.ColumnIndex(name));
    }
    if (columns.empty()) continue;
    std::vector<double> watts = MeanPerRow(power, columns);
    for (int node_type : node_types) {
      IdlePower idle{std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity(), static_cast<int>(columns.size())};
      for (size_t row = 0; row < watts.size(); ++row) {
        if (row_types[row] != node_type) continue;
        idle.min_watt = std::min(idle.min_watt, watts[row]);
        idle.max_watt = std::max(idle.max_watt, watts[row]);
      }
      if (idle.min_watt <= idle.max_watt) profile->Set(component, node_type, idle);
    }
  }
}

absl::StatusOr<IdlePower> ParseIdlePower(const rapidjson::Value& value, absl::string_view where) {
  IdlePower power;
  const rapidjson::Value* min = core::FindMember(value, kMinWatt);
  const rapidjson::Value* max = core::FindMember(value, kMaxWatt);
  const rapidjson::Value* units = core::FindMember(value, kUnits);
  if (min == nullptr || max == nullptr || !min->IsNumber() || !max->IsNumber()) {
    return absl::InvalidArgumentError(
        absl::StrCat("profile entry ", where, " needs numbers min_watt and max_watt"));
  }
  power.min_watt = min->GetDouble();
  power.max_watt = max->GetDouble();
  if (units != nullptr) {
    if (!units->IsNumber()) {
      return absl::InvalidArgumentError(absl::StrCat("profile entry ", where, ": bad #unit"));
    }
    power.units = static_cast<int>(units->GetDouble());
  }
  return power;
}

}  // namespace

void PowerProfile::Set(absl::string_view component, int node_type, IdlePower power) {
  for (auto& [name, by_type] : entries_) {
    if (name == component) {
      by_type[node_type] = power;
      return;
    }
  }
  entries_.push_back({std::string(component), {{node_type, power}}});
}

const IdlePower* PowerProfile::Find(absl::string_view component, int node_type) const {
  for (const auto& [name, by_type] : entries_) {
    if (name != component) continue;
    auto it = by_type.find(node_type);
    return it == by_type.end() ? nullptr : &it->second;
  }
  return nullptr;
}

std::optional<double> PowerProfile::BackgroundWatts(absl::string_view component,
                                                    int node_type) const {
  const IdlePower* power = Find(component, node_type);
  if (power == nullptr) return std::nullopt;
  return (power->min_watt + power->max_watt) / 2 * power->units;
}

std::vector<std::string> PowerProfile::Components() const {
  std::vector<std::string> out;
  for (const auto& entry : entries_) out.push_back(entry.first);
  return out;
}

std::vector<int> PowerProfile::NodeTypes(absl::string_view component) const {
  std::vector<int> out;
  for (const auto& [name, by_type] : entries_) {
    if (name != component) continue;
    for (const auto& entry : by_type) out.push_back(entry.first);
  }
  return out;
}

absl::StatusOr<ProfileSet> ProfileIdle(const Capture& idle, const ProfilerOptions& options) {
  std::vector<int> node_types = CaptureNodeTypes(idle);
  if (options.node_type.has_value() || node_types.empty()) {
    node_types = {options.node_type.value_or(0)};
  }
  ProfileSet profiles;
  for (const std::string& source : core::EnergySources()) {
    ExtractOptions extract;
    extract.energy_source = source;
    extract.use_vm_metrics = options.use_vm_metrics;
    extract.node_type = options.node_type;
    absl::StatusOr<FeatureTable> power = ExtractPower(idle, extract);
    if (!power.ok()) continue;  // this source is not in the capture
    PowerProfile profile;
    ProfileSource(*power, source, node_types, &profile);
    if (!profile.empty()) profiles[source] = std::move(profile);
  }
  if (profiles.empty()) {
    return absl::NotFoundError("no energy source has power data in the idle capture");
  }
  return profiles;
}

std::string ProfileToJson(const PowerProfile& profile) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& alloc = doc.GetAllocator();
  for (const std::string& component : profile.Components()) {
    rapidjson::Value by_type(rapidjson::kObjectType);
    for (int node_type : profile.NodeTypes(component)) {
      const IdlePower& power = *profile.Find(component, node_type);
      rapidjson::Value entry(rapidjson::kObjectType);
      entry.AddMember(kMinWatt, rapidjson::Value(power.min_watt), alloc);
      entry.AddMember(kMaxWatt, rapidjson::Value(power.max_watt), alloc);
      entry.AddMember(kUnits, rapidjson::Value(power.units), alloc);
      by_type.AddMember(rapidjson::Value(absl::StrCat(node_type).c_str(), alloc), entry, alloc);
    }
    doc.AddMember(rapidjson::Value(component.c_str(), alloc), by_type, alloc);
  }
  absl::StatusOr<std::string> text =
      core::WriteJson(doc, core::JsonWriteOptions::PythonDumps(/*sort_keys=*/false));
  return text.ok() ? *text : "{}";  // profiles hold finite numbers only
}

absl::StatusOr<PowerProfile> ParseProfileJson(absl::string_view json) {
  ASSIGN_OR_RETURN(rapidjson::Document doc, core::ParseJson(json));
  if (!doc.IsObject()) return absl::InvalidArgumentError("a profile must be a JSON object");
  PowerProfile profile;
  for (const auto& component : doc.GetObject()) {
    std::string name = component.name.GetString();
    if (!component.value.IsObject()) {
      return absl::InvalidArgumentError(absl::StrCat("profile component ", name, " is not an object"));
    }
    for (const auto& entry : component.value.GetObject()) {
      double node_type;
      std::string where = absl::StrCat(name, "/", entry.name.GetString());
      if (!absl::SimpleAtod(entry.name.GetString(), &node_type) || !std::isfinite(node_type)) {
        return absl::InvalidArgumentError(absl::StrCat("profile entry ", where, ": bad node type"));
      }
      ASSIGN_OR_RETURN(IdlePower power, ParseIdlePower(entry.value, where));
      profile.Set(name, static_cast<int>(node_type), power);
    }
  }
  return profile;
}

absl::Status WriteProfiles(const std::string& dir, const ProfileSet& profiles) {
  for (const auto& [source, profile] : profiles) {
    RETURN_IF_ERROR(
        core::WriteFileAtomic(absl::StrCat(dir, "/", source, ".json"), ProfileToJson(profile)));
  }
  return absl::OkStatus();
}

absl::StatusOr<ProfileSet> ReadProfiles(const std::string& dir) {
  ProfileSet profiles;
  for (const std::string& source : core::EnergySources()) {
    std::string path = absl::StrCat(dir, "/", source, ".json");
    if (!core::FileExists(path) && source == core::kRaplSysfs) path = dir + "/rapl.json";
    if (!core::FileExists(path)) continue;
    ASSIGN_OR_RETURN(std::string text, core::ReadFile(path));
    absl::StatusOr<PowerProfile> profile = ParseProfileJson(text);
    if (!profile.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", profile.status().message()));
    }
    profiles[source] = *std::move(profile);
  }
  if (profiles.empty()) return absl::NotFoundError(absl::StrCat("no profile files in ", dir));
  return profiles;
}

}  // namespace kepler::model::trainer
