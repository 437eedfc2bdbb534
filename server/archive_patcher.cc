#include "server/archive_patcher.h"

#include "absl/strings/str_cat.h"
#include "core/archive.h"
#include "core/file_util.h"
#include "core/node_type.h"
#include "core/status_macros.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace kepler::model::server {
namespace {

absl::StatusOr<std::string> PatchMetadata(absl::string_view text, const v1::MachineSpec& spec) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return absl::InvalidArgumentError("archive metadata.json is not a JSON object");
  }
  doc.RemoveMember("machine_spec");
  doc.AddMember("machine_spec",
                core::NodeSpecToJsonValue(core::NodeSpecFromProto(spec), doc.GetAllocator()),
                doc.GetAllocator());
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

absl::StatusOr<std::string> AddMachineSpec(absl::string_view zip_bytes,
                                           const v1::MachineSpec& spec) {
  ASSIGN_OR_RETURN(auto entries, core::ReadZip(zip_bytes, core::ArchiveLimits{}));
  bool found = false;
  for (auto& entry : entries) {
    if (entry.name != "metadata.json") continue;
    ASSIGN_OR_RETURN(entry.data, PatchMetadata(entry.data, spec));
    found = true;
  }
  if (!found) return absl::InvalidArgumentError("archive holds no metadata.json");
  return core::WriteZip(std::move(entries));
}

absl::StatusOr<std::shared_ptr<const std::string>> ArchiveCache::Get(
    const std::shared_ptr<const ModelEntry>& model) {
  if (!model->archive_needs_machine_spec) {
    ASSIGN_OR_RETURN(std::string bytes, core::ReadFile(model->archive_path));
    return std::make_shared<const std::string>(std::move(bytes));
  }
  {
    absl::MutexLock lock(&mu_);
    auto it = patched_.find(model);
    if (it != patched_.end()) return it->second;
  }
  ASSIGN_OR_RETURN(std::string bytes, core::ReadFile(model->archive_path));
  ASSIGN_OR_RETURN(std::string patched, AddMachineSpec(bytes, model->metadata.machine_spec()));
  auto shared = std::make_shared<const std::string>(std::move(patched));
  absl::MutexLock lock(&mu_);
  if (patched_.size() >= capacity_) patched_.clear();  // simple bound; refills on demand
  patched_[model] = shared;
  return shared;
}

}  // namespace kepler::model::server
