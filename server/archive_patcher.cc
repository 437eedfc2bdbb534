#include "server/archive_patcher.h"

#include "absl/strings/str_cat.h"
#include "core/archive.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "core/node_type.h"
#include "core/weight_document.h"
#include "core/status_macros.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace kepler::model::server {
namespace {

absl::StatusOr<std::string> PatchMetadata(absl::string_view text, const v1::MachineSpec& spec) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
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

bool NeedsCompletion(const ModelEntry& model) {
  return model.archive_needs_machine_spec || model.weights.has_value();
}

}  // namespace

absl::StatusOr<std::string> CompleteArchive(absl::string_view zip_bytes, const ModelEntry& model) {
  ASSIGN_OR_RETURN(auto entries, core::ReadZip(zip_bytes, core::ArchiveLimits{}));
  bool found = false, has_weights = false;
  for (auto& entry : entries) {
    has_weights |= entry.name == "weight.json";
    if (entry.name != "metadata.json") continue;
    found = true;
    if (model.archive_needs_machine_spec) {
      ASSIGN_OR_RETURN(entry.data, PatchMetadata(entry.data, model.metadata.machine_spec()));
    }
  }
  if (!found) return absl::InvalidArgumentError("archive holds no metadata.json");
  if (model.weights.has_value() && !has_weights) {
    ASSIGN_OR_RETURN(std::string weights,
                     core::WriteWeightDocument(*model.weights,
                                               core::JsonWriteOptions::PythonDumps(false)));
    entries.push_back({"weight.json", std::move(weights)});
  }
  return core::WriteZip(std::move(entries));
}

absl::StatusOr<std::shared_ptr<const std::string>> ArchiveCache::Get(
    const std::shared_ptr<const ModelEntry>& model) {
  if (!NeedsCompletion(*model)) {
    ASSIGN_OR_RETURN(std::string bytes, core::ReadFile(model->archive_path));
    return std::make_shared<const std::string>(std::move(bytes));
  }
  {
    absl::MutexLock lock(&mu_);
    auto it = patched_.find(model);
    if (it != patched_.end()) return it->second;
  }
  ASSIGN_OR_RETURN(std::string bytes, core::ReadFile(model->archive_path));
  ASSIGN_OR_RETURN(std::string patched, CompleteArchive(bytes, *model));
  auto shared = std::make_shared<const std::string>(std::move(patched));
  absl::MutexLock lock(&mu_);
  if (patched_.size() >= capacity_) patched_.clear();  // simple bound; refills on demand
  patched_[model] = shared;
  return shared;
}

}  // namespace kepler::model::server
