#include "trainer/isolator_factory.h"

#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/archive.h"
#include "core/model_loader.h"
#include "core/model_metadata.h"
#include "core/status_macros.h"
#include "core/trainer_name.h"
#include "trainer/profiler.h"

namespace kepler::model::trainer {
namespace {

std::vector<std::string> CommaList(const std::map<std::string, std::string>& args,
                                   const std::string& key) {
  auto it = args.find(key);
  if (it == args.end()) return {};
  return absl::StrSplit(it->second, ',', absl::SkipWhitespace());
}

std::string DefaultAbsPipeline(const std::string& source) {
  if (source == "acpi") return "specpower-0.7.11";
  if (source == "rapl-sysfs") return "ec2-0.7.11";
  return "std_v0.7.11";
}

// Background power of node-level usage, predicted by one AbsPower model.
BackgroundPowerPredictor PredictorOf(std::shared_ptr<const core::Model> model, std::string name,
                                     double mae) {
  auto predict = [model](const FeatureTable& usage) -> absl::StatusOr<ComponentWatts> {
    core::FeatureTable rows;
    rows.columns = model->features();
    rows.values.reserve(usage.num_rows() * rows.columns.size());
    for (size_t r = 0; r < usage.num_rows(); ++r) {
      for (const std::string& feature : rows.columns) {
        const std::vector<double>* column = usage.Column(feature);
        if (column == nullptr) return absl::InvalidArgumentError("usage lacks " + feature);
        rows.values.push_back((*column)[r]);
      }
    }
    ASSIGN_OR_RETURN(core::ComponentPowers powers, model->Predict(rows));
    ComponentWatts watts;
    for (size_t c = 0; c < powers.size(); ++c) watts[model->components()[c]] = powers[c];
    return watts;
  };
  return {std::move(name), mae, std::move(predict)};
}

// Every loadable AbsPower model archive of `pipeline_dir` for `source`.
std::vector<BackgroundPowerPredictor> LoadCandidates(const std::string& pipeline_dir,
                                                     const std::string& source) {
  namespace fs = std::filesystem;
  std::vector<BackgroundPowerPredictor> out;
  std::error_code ec;
  fs::path abs_dir = fs::path(pipeline_dir) / source / "AbsPower";
  for (auto it = fs::recursive_directory_iterator(abs_dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().extension() != ".zip" || it.depth() != 1) continue;
    auto entries = core::ReadZipFile(it->path().string(), core::ArchiveLimits{});
    if (!entries.ok()) continue;
    core::ModelFiles files;
    for (auto& entry : *entries) files[entry.name] = std::move(entry.data);
    auto model = core::LoadModelFromFiles(files, "");
    auto metadata = core::ParseModelMetadata(files["metadata.json"]);
    if (!model.ok() || !metadata.ok()) continue;
    out.push_back(PredictorOf(*model, it->path().string(), metadata->mae()));
  }
  return out;
}

absl::StatusOr<std::unique_ptr<Isolator>> MakeTrainer(const IsolatorRequest& request) {
  auto it = request.args.find("abs_pipeline_name");
  std::string pipeline = it != request.args.end() ? it->second : DefaultAbsPipeline(request.energy_source);
  RETURN_IF_ERROR(core::ValidatePipelineName(pipeline));
  TrainIsolatorOptions options;
  options.candidates = LoadCandidates(request.model_path + "/" + pipeline, request.energy_source);
  if (options.candidates.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("TrainIsolator needs AbsPower models of pipeline ",
                                                   pipeline, " under the model path"));
  }
  if (request.idle != nullptr) options.background_containers = BackgroundContainers(*request.idle);
  options.target_hints = CommaList(request.args, "target_hints");
  options.background_hints = CommaList(request.args, "bg_hints");
  return MakeTrainIsolator(std::move(options));
}

}  // namespace

absl::StatusOr<std::string> CanonicalIsolatorName(const std::string& name) {
  std::string lower = absl::AsciiStrToLower(name);
  if (lower == "min" || lower == "minidleisolator") return std::string("min");
  if (lower == "none" || lower == "noneisolator") return std::string("none");
  if (lower == "profile" || lower == "profilebackgroundisolator") return std::string("profile");
  if (lower == "trainer" || lower == "trainisolator") return std::string("trainer");
  return absl::InvalidArgumentError(absl::StrCat("isolator '", name, "' is unknown"));
}

absl::StatusOr<std::unique_ptr<Isolator>> MakeIsolatorFor(const IsolatorRequest& request) {
  ASSIGN_OR_RETURN(std::string name, CanonicalIsolatorName(request.name));
  if (name == "min") return MakeMinIsolator();
  if (name == "none") return MakeNoneIsolator();
  if (name == "trainer") return MakeTrainer(request);
  if (request.idle == nullptr) {
    return absl::InvalidArgumentError("ProfileBackgroundIsolator needs idle_prom_response");
  }
  ASSIGN_OR_RETURN(ProfileSet profiles, ProfileIdle(*request.idle));
  return MakeProfileIsolator(std::move(profiles), BackgroundContainers(*request.idle));
}

}  // namespace kepler::model::trainer
