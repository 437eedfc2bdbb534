#include "server/snapshot_metrics.h"

#include "absl/strings/str_cat.h"
#include "core/energy_source.h"
#include "core/feature_group.h"
#include "core/prometheus_text.h"

namespace kepler::model::server {
namespace {

std::string ModelLabels(const ModelEntry& model, const std::string& component) {
  const v1::ModelMetadata& m = model.metadata;
  return absl::StrCat("pipeline=\"", core::EscapeLabelValue(m.pipeline_name()), "\",source=\"", core::EscapeLabelValue(m.source()),
                      "\",output_type=\"", core::OutputTypeName(m.output_type()),
                      "\",feature_group=\"", core::FeatureGroupName(m.feature_group()),
                      "\",model=\"", core::EscapeLabelValue(m.model_name()), "\",component=\"",
                      core::EscapeLabelValue(component), "\"");
}

void AppendWeights(const ModelEntry& model, std::string& out) {
  for (const v1::ComponentWeights& component : model.weights->components()) {
    std::string labels = ModelLabels(model, component.component());
    if (component.has_bias_weight()) {
      absl::StrAppend(&out, "kepler_model_bias_weight{", labels, "} ", core::FormatSampleValue(component.bias_weight()), "\n");
    }
    for (int i = 0; i < component.numerical_variables_size(); ++i) {
      const auto& variable = component.numerical_variables(i);
      std::string feature_labels =
          absl::StrCat(labels, ",feature=\"", core::EscapeLabelValue(component.feature_names(i)), "\"");
      if (variable.has_weight()) {
        absl::StrAppend(&out, "kepler_model_feature_weight{", feature_labels, "} ", core::FormatSampleValue(variable.weight()), "\n");
      }
      absl::StrAppend(&out, "kepler_model_feature_scale{", feature_labels, "} ", core::FormatSampleValue(variable.scale()), "\n");
    }
    for (int i = 0; i < component.curve_fit_weights_size(); ++i) {
      absl::StrAppend(&out, "kepler_model_curve_fit_weight{", labels, ",index=\"", i, "\"} ",
                      core::FormatSampleValue(component.curve_fit_weights(i)), "\n");
    }
  }
}

}  // namespace

std::string SnapshotMetricsText(const Snapshot& snapshot, absl::Time now) {
  std::string out = absl::StrCat(
      "# HELP kepler_model_server_pipelines Pipelines loaded.\n",
      "# TYPE kepler_model_server_pipelines gauge\n", "kepler_model_server_pipelines ",
      snapshot.pipelines().size(), "\n",
      "# HELP kepler_model_server_snapshot_age_seconds Time since the repository was loaded.\n",
      "# TYPE kepler_model_server_snapshot_age_seconds gauge\n",
      "kepler_model_server_snapshot_age_seconds ",
      core::FormatSampleValue(absl::ToDoubleSeconds(now - snapshot.loaded_at())), "\n",
      "# HELP kepler_model_server_models Models loaded, by pipeline, source and output type.\n",
      "# TYPE kepler_model_server_models gauge\n");
  for (const Pipeline& pipeline : snapshot.pipelines()) {
    std::map<std::pair<std::string, std::string>, size_t> counts;
    for (const auto& [key, models] : pipeline.groups) {
      counts[{key.source, core::OutputTypeName(key.output_type)}] += models.size();
    }
    for (const auto& [key, count] : counts) {
      absl::StrAppend(&out, "kepler_model_server_models{pipeline=\"", core::EscapeLabelValue(pipeline.name),
                      "\",source=\"", key.first, "\",output_type=\"", key.second, "\"} ", count, "\n");
    }
  }
  absl::StrAppend(&out,
                  "# HELP kepler_model_server_pipeline_reload_failures_total Pipeline folders that "
                  "failed to load since start.\n",
                  "# TYPE kepler_model_server_pipeline_reload_failures_total counter\n",
                  "kepler_model_server_pipeline_reload_failures_total ", snapshot.reload_failures(),
                  "\n",
                  "# HELP kepler_model_server_pipeline_stale 1 for a pipeline served from its last good "
                  "version because its folder failed to reload.\n",
                  "# TYPE kepler_model_server_pipeline_stale gauge\n");
  for (const std::string& name : snapshot.stale()) {
    absl::StrAppend(&out, "kepler_model_server_pipeline_stale{pipeline=\"",
                    core::EscapeLabelValue(name), "\"} 1\n");
  }
  absl::StrAppend(&out,
                  "# HELP kepler_model_bias_weight Intercept of a linear weight model (watts).\n",
                  "# TYPE kepler_model_bias_weight gauge\n",
                  "# HELP kepler_model_feature_weight Coefficient of a scaled feature.\n",
                  "# TYPE kepler_model_feature_weight gauge\n",
                  "# HELP kepler_model_feature_scale MaxAbs scale of a feature.\n",
                  "# TYPE kepler_model_feature_scale gauge\n",
                  "# HELP kepler_model_curve_fit_weight Curve-fit parameter by position.\n",
                  "# TYPE kepler_model_curve_fit_weight gauge\n");
  for (const Pipeline& pipeline : snapshot.pipelines()) {
    for (const auto& [key, models] : pipeline.groups) {
      for (const auto& model : models) {
        if (model->weights.has_value()) AppendWeights(*model, out);
      }
    }
  }
  return out;
}

}  // namespace kepler::model::server
