// Downloading and installing the model server's initial pipelines.
//
// What: at start-up the model server fetches pipeline archives (zips of a
// pipeline folder, as kepler-model-db publishes them) from
// INITIAL_PIPELINE_URL, or from MODEL_TOPURL by default, and installs each as
// `<model_path>/<name>/` in the on-disk layout of contract §3.2, expanding
// every model archive `X.zip` into `X/` with `X.json` copied to
// `X/weight.json` (contract §2.1 step 2).
// Why: the reference aborts start-up on the first failed download and crashes
// on network errors (contract §11 item 10). Here each URL succeeds or fails
// on its own, reported per URL, and a failure never disturbs what is already
// installed: an archive is unpacked and checked completely in a private
// staging folder, then swapped in with one rename.
// How: the server calls FetchInitialPipelines once before it builds its first
// repository snapshot, logs the failed reports, and serves whatever pipelines
// are on disk. Staging folders are named `<model_path>/.incoming-<name>-*`;
// a pipeline name never starts with '.', so whoever lists pipelines must skip
// dot-folders (a crash can leave one behind).
//
// Thread-safety: the functions share no state. Installing the same name
// concurrently is safe (each install is one atomic swap; the last wins).
#ifndef KEPLER_SERVER_PIPELINE_FETCHER_H_
#define KEPLER_SERVER_PIPELINE_FETCHER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/archive.h"
#include "core/http_client.h"

namespace kepler::model::server {

// The URLs to fetch at start-up (contract §8.2 INITIAL_PIPELINE_URL):
// `initial_pipeline_url_list` without empty entries if any remain; otherwise
// `<topurl>/ec2-0.7.11.zip` and `<topurl>/specpower-0.7.11.zip` when
// `model_topurl` is core::kBaseModelUrl, else `<topurl>/std_v0.7.11.zip`.
// Trailing '/' on `model_topurl` is ignored.
std::vector<std::string> InitialPipelineUrls(
    std::vector<std::string> initial_pipeline_url_list,
    std::string model_topurl);

// The pipeline name a URL or path installs as: its last path segment without
// the `.zip` suffix (query and fragment of an http(s) URL are ignored), e.g.
// ".../v0.7/ec2-0.7.11.zip" -> "ec2-0.7.11". InvalidArgument when the
// segment does not end in ".zip" or the name is not a valid pipeline name.
[[nodiscard]] absl::StatusOr<std::string> PipelineNameFromUrl(
    absl::string_view url);


// What installing one pipeline archive may cost; any limit hit is an error naming it. The
// defaults hold the largest published database (specpower-0.7.11: 7,797 files and 51 MB in its
// zip; 5,151 model archives with 21,192 entries, 177 MB unpacked) with more than 10x room.
struct PipelineArchiveLimits {
  // The pipeline zip itself.
  core::ArchiveLimits pipeline{100'000, 2ull << 30, 512ull << 20};
  // Each model archive inside it: one model's files (a published one has 5-10).
  core::ArchiveLimits model{256, 256ull << 20, 128ull << 20};
  // All of the pipeline's model archives together, unpacked.
  size_t max_model_entries = 250'000;
  uint64_t max_model_bytes = 2ull << 30;
};

// Installs the pipeline archive `zip_bytes` as `<model_path>/<name>/`.
// The archive holds the pipeline folder's contents at its root, or inside one
// top folder (of any name) when the root has no metadata.json. Every `X.zip`
// below it is expanded into `X/`, plus `X/weight.json` copied from `X.json`
// when present; each nested archive is held to `limits.model` and all of them
// together to `limits.max_model_entries` / `max_model_bytes`. `metadata.json`
// must end up at the pipeline root. Then the
// previous `<model_path>/<name>` (if any) is replaced atomically. On any
// error (corrupt or hostile outer or nested archive, limits, I/O) nothing is
// left behind and the previous install is untouched. `model_path` is created
// if missing.
[[nodiscard]] absl::Status InstallPipelineArchive(
    absl::string_view zip_bytes, const std::string& model_path,
    const std::string& name, const PipelineArchiveLimits& limits = {});

// The outcome for one URL given to FetchInitialPipelines.
struct FetchReport {
  std::string url;
  // The pipeline name; empty when none could be derived from the URL.
  std::string pipeline;
  // OK when installed. NotFound for a missing file or HTTP 404,
  // FailedPrecondition for another 4xx but 408 and 429, Unavailable for other
  // non-200 answers, else the HttpClient or install error.
  absl::Status status;
};

// Fetches each of `urls` (http(s)://, file:// or a local path) with `http`
// and installs it under `model_path` with InstallPipelineArchive, one after
// the other; a failure of one does not stop the others. Returns one report
// per URL, in order. `http` is borrowed for the duration of the call.
std::vector<FetchReport> FetchInitialPipelines(
    const std::vector<std::string>& urls, const std::string& model_path,
    core::HttpClient& http, const core::FetchOptions& fetch_options,
    const PipelineArchiveLimits& limits = {});

}  // namespace kepler::model::server

#endif  // KEPLER_SERVER_PIPELINE_FETCHER_H_
