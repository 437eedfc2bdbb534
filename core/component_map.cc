#include "core/component_map.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/json_util.h"
#include "core/status_macros.h"

namespace kepler::model::core {
namespace {

absl::StatusOr<std::vector<std::string>> StringList(const rapidjson::Value& value,
                                                    absl::string_view what) {
  if (!value.IsArray()) return absl::InvalidArgumentError(absl::StrCat(what, " is not a list"));
  std::vector<std::string> out;
  for (const auto& item : value.GetArray()) {
    if (!item.IsString()) return absl::InvalidArgumentError(absl::StrCat(what, " holds a non-string"));
    out.emplace_back(StringView(item));
  }
  return out;
}

absl::StatusOr<ComponentSpec> ReadComponentSpec(const rapidjson::Value::Member& member,
                                                const v1::ModelMetadata& metadata) {
  ComponentSpec spec{std::string(StringView(member.name)), "", {}, {}};
  const rapidjson::Value* file = FindMember(member.value, "model_file");
  if (file == nullptr || !file->IsString()) {
    return absl::InvalidArgumentError(absl::StrCat("component ", spec.name, " has no model_file"));
  }
  spec.model_file = std::string(StringView(*file));
  spec.features.assign(metadata.features().begin(), metadata.features().end());
  if (const rapidjson::Value* features = FindMember(member.value, "features")) {
    ASSIGN_OR_RETURN(spec.features, StringList(*features, spec.name + " features"));
  }
  if (const rapidjson::Value* fe = FindMember(member.value, "fe_files")) {
    ASSIGN_OR_RETURN(spec.fe_files, StringList(*fe, spec.name + " fe_files"));
  }
  return spec;
}

}  // namespace

absl::StatusOr<const std::string*> ModelFileOf(const ModelFiles& files, const std::string& name) {
  auto it = files.find(name);
  if (it == files.end()) return absl::InvalidArgumentError(absl::StrCat("model has no ", name));
  return &it->second;
}

absl::StatusOr<std::vector<ComponentSpec>> ReadComponentMap(const ModelFiles& files,
                                                            const v1::ModelMetadata& metadata) {
  const std::string& map_file = metadata.model_file();
  if (!absl::EndsWith(map_file, ".json")) {
    return absl::UnimplementedError(
        absl::StrCat("unsupported model format: model_file ", map_file, " is not a component map"));
  }
  ASSIGN_OR_RETURN(const std::string* text, ModelFileOf(files, map_file));
  auto doc = ParseJson(*text);
  if (!doc.ok()) return absl::InvalidArgumentError(absl::StrCat(map_file, ": ", doc.status().message()));
  if (!doc->IsObject() || doc->MemberCount() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(map_file, " names no component"));
  }
  std::vector<ComponentSpec> out;
  for (const auto& member : doc->GetObject()) {
    ASSIGN_OR_RETURN(ComponentSpec spec, ReadComponentSpec(member, metadata));
    out.push_back(std::move(spec));
  }
  return out;
}


}  // namespace kepler::model::core
