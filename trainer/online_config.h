// The online trainer's settings from the contract's configuration keys (§8.2, §9.1).
//
// One function reads the PROM_* keys and SAMPLING_INTERVAL through core::Config (file >
// MODEL_CONFIG > environment > default) into the Options the libraries take, so the Prometheus
// client and the online loop never look at the environment themselves. kepler-trainer's main()
// calls it; the `kepler-model query` CLI can too.
#ifndef KEPLER_TRAINER_ONLINE_CONFIG_H_
#define KEPLER_TRAINER_ONLINE_CONFIG_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/config.h"
#include "trainer/prometheus_client.h"

namespace kepler::model::trainer {

struct OnlineConfig {
  // PROM_SERVER (default http://localhost:9090), PROM_QUERY_INTERVAL (300 s), PROM_QUERY_STEP
  // (3 s), PROM_SSL_DISABLE (true: no certificate verification), PROM_THIRDPARTY_METRICS (a
  // comma list, default none). Fractional seconds are accepted.
  PrometheusQuery query;
  // SAMPLING_INTERVAL: pause between rounds, default PROM_QUERY_INTERVAL.
  absl::Duration sampling_interval = absl::Seconds(300);
};

// InvalidArgument naming the key when an interval or the step is not a positive number.
[[nodiscard]] absl::StatusOr<OnlineConfig> OnlineConfigFrom(const core::Config& config);

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_ONLINE_CONFIG_H_
