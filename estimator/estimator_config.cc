#include "estimator/estimator_config.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/energy_source.h"
#include "core/version.h"

namespace kepler::model::estimator {
namespace {

bool IsPlatformSource(const std::string& source) {
  const auto& components = core::ComponentsOf(source);
  return components.size() == 1 && components[0] == "platform";
}

// Published models the reference falls back to (default_init_model_name), evaluable ones first.
std::vector<std::string> DefaultModelNames(const std::string& source) {
  if (source == "rapl-sysfs") return {"XgboostFitTrainer_1", "GradientBoostingRegressorTrainer_1"};
  if (source == "acpi") return {"XgboostFitTrainer_109"};
  return {};
}

std::string DefaultPipeline(const EstimatorConfig& config, const std::string& source) {
  if (config.model_topurl != core::kBaseModelUrl) return std::string(core::kDefaultTrainPipeline);
  if (source == "rapl-sysfs") return "ec2-0.7.11";
  if (source == "acpi") return "specpower-0.7.11";
  return "";
}

}  // namespace

EstimatorConfig ReadEstimatorConfig(const core::Config& config) {
  EstimatorConfig out;
  out.config = &config;
  out.model_server_enable = config.GetBool("MODEL_SERVER_ENABLE", false);
  std::string url = config.GetString("MODEL_SERVER_URL", "kepler-model-server.kepler.svc.cluster.local");
  if (!absl::StrContains(url, "://")) {
    url = absl::StrCat("http://", url, ":", config.GetInt("MODEL_SERVER_PORT", 8100));
  }
  while (absl::EndsWith(url, "/")) url.pop_back();
  out.model_server_endpoint = url + config.GetString("MODEL_SERVER_MODEL_REQ_PATH", "/model");
  out.model_topurl = config.GetString("MODEL_TOPURL", std::string(core::kBaseModelUrl));
  return out;
}

std::vector<std::string> InitModelUrls(const EstimatorConfig& config, const std::string& source,
                                       v1::OutputType output_type) {
  if (!core::IsKnownSource(source)) return {};
  std::string kind = IsPlatformSource(source) ? "TOTAL" : "COMPONENTS";
  std::vector<std::string> prefixes =
      output_type == v1::AbsPower ? std::vector<std::string>{"NODE"}
                                  : std::vector<std::string>{"PROCESS", "CONTAINER"};
  if (config.config != nullptr) {
    for (const std::string& prefix : prefixes) {
      std::string url = config.config->GetString(absl::StrCat(prefix, "_", kind, "_INIT_URL"), "");
      if (!url.empty()) return {url};
    }
  }
  std::vector<std::string> urls;
  std::string pipeline = DefaultPipeline(config, source);
  for (const std::string& name : DefaultModelNames(source)) {
    urls.push_back(absl::StrCat(config.model_topurl, "/", pipeline, "/", source, "/",
                                core::OutputTypeName(output_type), "/BPFOnly/", name, ".zip"));
  }
  return urls;
}

}  // namespace kepler::model::estimator
