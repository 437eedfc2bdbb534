#include "trainer/pipeline_metadata.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/energy_source.h"
#include "core/feature_group.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "core/status_macros.h"
#include "core/trainer_name.h"
#include "rapidjson/document.h"

namespace kepler::model::trainer {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

rapidjson::Value Str(const std::string& text, Allocator& allocator) {
  return rapidjson::Value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}

rapidjson::Value TrainerList(const std::vector<v1::TrainerName>& trainers, Allocator& allocator) {
  rapidjson::Value list(rapidjson::kArrayType);
  for (v1::TrainerName trainer : trainers) {
    list.PushBack(Str(core::TrainerNameString(trainer), allocator), allocator);
  }
  return list;
}

std::string ModelCsv(const std::vector<const v1::ModelMetrics*>& models) {
  std::string csv = "model_name,trainer,node_type,feature_group,mae,mape\n";
  for (const v1::ModelMetrics* model : models) {
    std::string name = model->model_name();
    size_t cut = name.rfind('_');
    absl::StrAppend(&csv, name, ",", name.substr(0, name.find('_')), ",", name.substr(cut + 1), ",",
                    core::FeatureGroupName(model->feature_group()), ",", model->mae(), ",",
                    model->mape(), "\n");
  }
  return csv;
}

absl::Status WriteCsvs(const std::string& dir, const PipelineReport& report) {
  std::map<std::string, std::vector<const v1::ModelMetrics*>> by_file;
  for (const v1::ModelMetrics& model : report.models) {
    if (!model.skipped_reason().empty()) continue;
    by_file[absl::StrCat(model.source(), "_", core::OutputTypeName(model.output_type()),
                         "_model_metadata.csv")]
        .push_back(&model);
  }
  for (auto& [file, models] : by_file) {
    std::sort(models.begin(), models.end(), [](const auto* a, const auto* b) {
      return std::make_tuple(core::FeatureGroupName(a->feature_group()), a->mae()) <
             std::make_tuple(core::FeatureGroupName(b->feature_group()), b->mae());
    });
    RETURN_IF_ERROR(core::WriteStagedFile(absl::StrCat(dir, "/", file), ModelCsv(models)));
  }
  return absl::OkStatus();
}

}  // namespace

std::string PipelineMetadataJson(const PipelineOptions& options) {
  std::string now = absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::Now(), absl::UTCTimeZone());
  rapidjson::Document doc(rapidjson::kObjectType);
  Allocator& allocator = doc.GetAllocator();
  doc.AddMember("name", Str(options.name, allocator), allocator);
  doc.AddMember("isolator", Str(options.isolator_name, allocator), allocator);
  doc.AddMember("extractor", Str(options.extractor, allocator), allocator);
  doc.AddMember("abs_trainers", TrainerList(options.abs_trainers, allocator), allocator);
  doc.AddMember("dyn_trainers", TrainerList(options.dyn_trainers, allocator), allocator);
  doc.AddMember("metric_type", options.use_vm_metrics ? "vm_metrics" : "bm_metrics", allocator);
  doc.AddMember("init_time", Str(now, allocator), allocator);
  doc.AddMember("last_update_time", Str(now, allocator), allocator);
  return core::WriteJson(doc, core::JsonWriteOptions::PythonDumps(false)).value_or("{}");
}

absl::Status WritePipelineFiles(const std::string& dir, const PipelineOptions& options,
                                const core::NodeTypeIndex& index, const PipelineReport& report) {
  RETURN_IF_ERROR(core::WriteStagedFile(dir + "/metadata.json", PipelineMetadataJson(options)));
  if (!index.empty()) {
    RETURN_IF_ERROR(core::WriteStagedFile(dir + "/node_type_index.json", index.ToJson()));
  }
  return WriteCsvs(dir, report);
}

}  // namespace kepler::model::trainer
