#include "trainer/online_config.h"

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace kepler::model::trainer {
namespace {

// The key's value in seconds: `fallback` when unset; an error when set but not positive.
absl::StatusOr<absl::Duration> Seconds(const core::Config& config, const std::string& key,
                                       absl::Duration fallback) {
  absl::optional<std::string> value = config.Lookup(key);
  if (!value.has_value()) return fallback;
  double seconds = 0;
  if (!absl::SimpleAtod(*value, &seconds) || !(seconds > 0) || seconds > 1e9) {
    return absl::InvalidArgumentError(
        absl::StrCat(key, "='", *value, "' is not a positive number of seconds"));
  }
  return absl::Seconds(seconds);
}

}  // namespace

absl::StatusOr<OnlineConfig> OnlineConfigFrom(const core::Config& config) {
  OnlineConfig out;
  PrometheusQuery& query = out.query;
  query.server = config.GetString("PROM_SERVER", query.server);
  absl::StatusOr<absl::Duration> interval = Seconds(config, "PROM_QUERY_INTERVAL", query.interval);
  if (!interval.ok()) return interval.status();
  query.interval = *interval;
  absl::StatusOr<absl::Duration> step = Seconds(config, "PROM_QUERY_STEP", query.step);
  if (!step.ok()) return step.status();
  query.step = *step;
  query.verify_tls = !config.GetBool("PROM_SSL_DISABLE", true);
  query.extra_metrics = config.GetList("PROM_THIRDPARTY_METRICS", {});
  absl::StatusOr<absl::Duration> sampling = Seconds(config, "SAMPLING_INTERVAL", query.interval);
  if (!sampling.ok()) return sampling.status();
  out.sampling_interval = *sampling;
  return out;
}

}  // namespace kepler::model::trainer
