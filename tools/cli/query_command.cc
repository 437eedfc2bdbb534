#include "tools/cli/query_command.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "core/config.h"
#include "core/feature_group.h"
#include "core/file_util.h"
#include "core/status_macros.h"
#include "tools/cli/progress_bar.h"
#include "tools/cli/training_inputs.h"
#include "trainer/capture.h"
#include "trainer/extractor.h"

namespace kepler::model::tools::cli {
namespace {

std::string UtcTime(double seconds) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC",
                          absl::FromUnixSeconds(static_cast<int64_t>(seconds)),
                          absl::UTCTimeZone());
}

// "now", unix seconds, or RFC 3339 ("2024-07-25T21:05:43Z").
absl::StatusOr<absl::Time> ParseEnd(const std::string& text) {
  if (text.empty() || text == "now") return absl::InfiniteFuture();
  double seconds;
  if (absl::SimpleAtod(text, &seconds))
    return absl::FromUnixMicros(static_cast<int64_t>(seconds * 1e6));
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, text, &time, &error)) return time;
  return absl::InvalidArgumentError(
      absl::StrCat("--end=", text, ": expected now, unix seconds or RFC 3339 time"));
}

void PrintSummary(const QueryOptions& options, const QuerySummary& s, CommandIo& io) {
  io.out << "wrote " << options.output << ": " << s.bytes << " bytes, " << s.queries << " queries, "
         << s.samples << " samples";
  if (s.time_range)
    io.out << ", " << UtcTime(s.time_range->first) << " to " << UtcTime(s.time_range->second);
  std::vector<std::string> groups;
  for (v1::FeatureGroup group : s.trainable_groups) groups.push_back(core::FeatureGroupName(group));
  io.out << "\ntrainable feature groups: "
         << (groups.empty() ? "none" : absl::StrJoin(groups, ", ")) << "\n";
}

}  // namespace

absl::StatusOr<QuerySummary> Query(core::HttpClient& http, const QueryOptions& options) {
  absl::StatusOr<std::string> json = trainer::QueryCapture(http, options.query);
  if (!json.ok()) {
    std::string reason = trainer::PrometheusFailureReason(json.status());
    return absl::Status(json.status().code(),
                        absl::StrCat(reason.empty() ? "" : reason + ": ", json.status().message()));
  }
  ASSIGN_OR_RETURN(trainer::Capture capture, trainer::Capture::Parse(*json));
  RETURN_IF_ERROR(core::WriteFileAtomic(options.output, *json));
  QuerySummary summary;
  summary.bytes = json->size();
  summary.queries = capture.num_queries();
  summary.samples = capture.num_samples();
  summary.time_range = CaptureTimeRange(capture);
  summary.trainable_groups = trainer::ValidFeatureGroups(
      capture, core::FeatureGroups::WithThirdParty(options.query.extra_metrics));
  return summary;
}

int QueryMain(const std::vector<std::string>& args, CommandIo& io) {
  core::Config config = core::Config::FromProcess();
  QueryOptions options;
  trainer::PrometheusQuery& q = options.query;
  std::string server = config.GetString("PROM_SERVER", q.server), end = "now";
  double interval = config.GetDouble("PROM_QUERY_INTERVAL", 300);
  double step = config.GetDouble("PROM_QUERY_STEP", 3), timeout = 30;
  bool verify_tls = !config.GetBool("PROM_SSL_DISABLE", true), progress = false;
  std::vector<std::string> extra = config.GetList("PROM_THIRDPARTY_METRICS", {});
  FlagSet flags("query", "Fetch a capture of Kepler metrics from a Prometheus server.", "");
  flags.set_description(
      "Defaults come from PROM_SERVER, PROM_QUERY_INTERVAL, PROM_QUERY_STEP, PROM_SSL_DISABLE\n"
      "and PROM_THIRDPARTY_METRICS (config folder, then environment). Example:\n"
      "  kepler-model query --server=http://prometheus:9090 --interval=3600 --output=run.json");
  flags.String("server", &server, "Prometheus base URL.");
  flags.Double("interval", &interval, "Seconds of data to read, ending at --end.");
  flags.Double("step", &step, "Seconds between samples.");
  flags.String("end", &end, "End of the range: now, unix seconds or RFC 3339.");
  flags.String("output", &options.output, "Capture file to write. Required.");
  flags.String("metrics-filter", &q.name_filter, "Query the metric names containing this.");
  flags.List("extra-metrics", &extra, "Further metrics to query (third-party features).");
  flags.Bool("verify-tls", &verify_tls, "Verify the server's TLS certificate.");
  flags.Double("timeout", &timeout, "Seconds allowed for each request.");
  flags.Bool("progress", &progress,
             "Show what is being fetched (default: when stderr is a terminal).");
  std::vector<std::string> positional;
  if (std::optional<int> done = ParseFlags(flags, args, io, &positional)) return *done;
  absl::StatusOr<absl::Time> end_time = ParseEnd(end);
  absl::Status valid = end_time.status();
  if (valid.ok() && !positional.empty())
    valid = absl::InvalidArgumentError("query takes no arguments");
  if (valid.ok() && options.output.empty())
    valid = absl::InvalidArgumentError("--output is required");
  if (valid.ok() && !(interval > 0 && step > 0 && timeout > 0)) {
    valid = absl::InvalidArgumentError("--interval, --step and --timeout must be positive");
  }
  if (!valid.ok()) return UsageError(flags, valid, io);
  q.server = server;
  q.interval = absl::Seconds(interval);
  q.step = absl::Seconds(step);
  q.end = *end_time;
  q.extra_metrics = extra;
  q.verify_tls = verify_tls;
  q.request_timeout = absl::Seconds(timeout);
  ProgressBar bar(&io.err, WantProgress(flags, progress, io));
  bar.Update(0, 0, absl::StrCat("querying ", server));
  std::unique_ptr<core::HttpClient> http = core::NewCurlHttpClient();
  absl::StatusOr<QuerySummary> summary = Query(*http, options);
  bar.Finish();
  if (!summary.ok()) return Finish(flags, summary.status(), io);
  PrintSummary(options, *summary, io);
  return kExitOk;
}

}  // namespace kepler::model::tools::cli
