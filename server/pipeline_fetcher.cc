#include "server/pipeline_fetcher.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

#include <cerrno>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "core/file_util.h"
#include "core/status_macros.h"
#include "core/trainer_name.h"
#include "core/version.h"

namespace kepler::model::server {
namespace {

// Leaves room for ".incoming-<name>-XXXXXX" within NAME_MAX.

absl::Status Annotate(const absl::Status& status, absl::string_view prefix) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

bool IsFile(const std::string& path) {
  return core::FileExists(path) && !core::IsDirectory(path);
}

// Removes a folder and everything in it when the scope ends.
class ScopedRemover {
 public:
  explicit ScopedRemover(std::string path) : path_(std::move(path)) {}
  ~ScopedRemover() { (void)core::RemoveAll(path_); }
  ScopedRemover(const ScopedRemover&) = delete;
  ScopedRemover& operator=(const ScopedRemover&) = delete;

 private:
  std::string path_;
};

// A fresh private folder inside `model_path`, so renames out of it are atomic.
absl::StatusOr<std::string> MakeStagingDir(const std::string& model_path,
                                           const std::string& name) {
  std::string path = absl::StrCat(model_path, "/.incoming-", name, "-XXXXXX");
  if (::mkdtemp(path.data()) == nullptr) {
    return absl::ErrnoToStatus(errno, "cannot create " + path);
  }
  return path;
}

// The folder holding metadata.json: `dir` itself, or its only sub-folder.
absl::StatusOr<std::string> FindPipelineRoot(const std::string& dir) {
  if (IsFile(dir + "/metadata.json")) return dir;
  ASSIGN_OR_RETURN(std::vector<std::string> names, core::ListDir(dir));
  if (names.size() == 1) {
    std::string sub = absl::StrCat(dir, "/", names[0]);
    if (core::IsDirectory(sub) && IsFile(sub + "/metadata.json")) return sub;
  }
  return absl::InvalidArgumentError(
      "pipeline archive has no metadata.json at its root");
}

// Appends the path of every `X.zip` (non-empty X) below `dir`, sorted.
absl::Status CollectModelArchives(const std::string& dir,
                                  std::vector<std::string>& zips) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, core::ListDir(dir));
  for (const std::string& name : names) {
    std::string path = absl::StrCat(dir, "/", name);
    if (core::IsDirectory(path)) {
      RETURN_IF_ERROR(CollectModelArchives(path, zips));
    } else if (name.size() > 4 && absl::EndsWith(name, ".zip")) {
      zips.push_back(std::move(path));
    }
  }
  return absl::OkStatus();
}

// What the pipeline's model archives may still unpack, all together.
struct ModelBudget {
  size_t entries_left;
  uint64_t bytes_left;
  const PipelineArchiveLimits& limits;
};

// Deducts what `entries` cost from `budget`, or names the database limit they exceed.
absl::Status Charge(const std::vector<core::ArchiveEntry>& entries, ModelBudget& budget) {
  uint64_t bytes = 0;
  for (const core::ArchiveEntry& entry : entries) bytes += entry.data.size();
  if (entries.size() > budget.entries_left) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the pipeline's model archives hold more than max_model_entries=",
        budget.limits.max_model_entries, " entries in all"));
  }
  if (bytes > budget.bytes_left) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the pipeline's model archives unpack to more than max_model_bytes=",
        budget.limits.max_model_bytes, " bytes in all"));
  }
  budget.entries_left -= entries.size();
  budget.bytes_left -= bytes;
  return absl::OkStatus();
}

// Unzips `<X>.zip` into `<X>/` and copies `<X>.json` to `<X>/weight.json`.
absl::Status ExpandModelArchive(const std::string& zip_path, ModelBudget& budget) {
  std::string folder = zip_path.substr(0, zip_path.size() - 4);
  ASSIGN_OR_RETURN(std::string bytes, core::ReadFile(zip_path));
  ASSIGN_OR_RETURN(std::vector<core::ArchiveEntry> entries,
                   core::ReadZip(bytes, budget.limits.model));
  RETURN_IF_ERROR(Charge(entries, budget));
  RETURN_IF_ERROR(core::WriteEntriesToFolder(entries, folder, core::FolderWrites::kStaged));
  std::string weights = folder + ".json";
  if (!IsFile(weights)) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string document, core::ReadFile(weights));
  return core::WriteStagedFile(folder + "/weight.json", document);
}

// Contract §2.1 step 2, on every model archive below `root`.
absl::Status ExpandModelArchives(const std::string& root,
                                 const PipelineArchiveLimits& limits) {
  std::vector<std::string> zips;
  RETURN_IF_ERROR(CollectModelArchives(root, zips));
  ModelBudget budget{limits.max_model_entries, limits.max_model_bytes, limits};
  for (const std::string& zip : zips) {
    std::string relative = zip.substr(root.size() + 1);
    RETURN_IF_ERROR(Annotate(ExpandModelArchive(zip, budget),
                             absl::StrCat("model archive ", relative, ": ")));
  }
  return absl::OkStatus();
}

absl::Status Install(absl::string_view zip_bytes, const std::string& model_path,
                     const std::string& name,
                     const PipelineArchiveLimits& limits) {
  RETURN_IF_ERROR(core::ValidatePipelineName(name));
  RETURN_IF_ERROR(core::MakeDirs(model_path));
  ASSIGN_OR_RETURN(std::string staging, MakeStagingDir(model_path, name));
  ScopedRemover remover(staging);
  std::string unpacked = staging + "/pipeline";
  // The staging folder is private until published: files are written without an fsync each,
  // then the whole tree is made durable at once (a database has thousands of files).
  RETURN_IF_ERROR(Annotate(core::UnzipToFolder(zip_bytes, unpacked, limits.pipeline,
                                               core::FolderWrites::kStaged),
                           "pipeline archive: "));
  ASSIGN_OR_RETURN(std::string root, FindPipelineRoot(unpacked));
  RETURN_IF_ERROR(ExpandModelArchives(root, limits));
  core::SyncFilesystemOf(root);
  return core::PublishDirectory(root, absl::StrCat(model_path, "/", name),
                                staging + "/previous");
}

absl::Status CheckHttpStatus(long status) {
  if (status == 200) return absl::OkStatus();
  std::string message = absl::StrCat("HTTP status ", status);
  if (status == 404) return absl::NotFoundError(message);
  // Client errors will not change on retry, except timeouts and rate limits.
  if (status >= 400 && status < 500 && status != 408 && status != 429) {
    return absl::FailedPreconditionError(message);
  }
  return absl::UnavailableError(message);
}

absl::Status FetchAndInstall(const std::string& url, const std::string& name,
                             const std::string& model_path,
                             core::HttpClient& http,
                             const core::FetchOptions& fetch_options,
                             const PipelineArchiveLimits& limits) {
  ASSIGN_OR_RETURN(core::HttpResult got, http.Get(url, fetch_options));
  RETURN_IF_ERROR(Annotate(CheckHttpStatus(got.status), "GET " + url + ": "));
  return Annotate(InstallPipelineArchive(got.body, model_path, name, limits),
                  "from " + url + ": ");
}

}  // namespace

std::vector<std::string> InitialPipelineUrls(
    std::vector<std::string> initial_pipeline_url_list,
    std::string model_topurl) {
  std::vector<std::string> urls;
  for (std::string& url : initial_pipeline_url_list) {
    if (!url.empty()) urls.push_back(std::move(url));
  }
  if (!urls.empty()) return urls;
  while (absl::EndsWith(model_topurl, "/")) model_topurl.pop_back();
  const absl::string_view version = core::kReferenceVersion;
  if (model_topurl == core::kBaseModelUrl) {
    return {absl::StrCat(model_topurl, "/ec2-", version, ".zip"),
            absl::StrCat(model_topurl, "/specpower-", version, ".zip")};
  }
  return {absl::StrCat(model_topurl, "/", core::kDefaultTrainPipeline, ".zip")};
}


absl::StatusOr<std::string> PipelineNameFromUrl(absl::string_view url) {
  absl::string_view path = url;
  if (absl::StrContains(url, "://")) path = path.substr(0, path.find_first_of("?#"));
  size_t slash = path.find_last_of('/');
  absl::string_view base = slash == path.npos ? path : path.substr(slash + 1);
  if (!absl::ConsumeSuffix(&base, ".zip")) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", url, "' does not name a .zip pipeline archive"));
  }
  RETURN_IF_ERROR(Annotate(core::ValidatePipelineName(base), absl::StrCat(url, ": ")));
  return std::string(base);
}

absl::Status InstallPipelineArchive(absl::string_view zip_bytes,
                                    const std::string& model_path,
                                    const std::string& name,
                                    const PipelineArchiveLimits& limits) {
  return Annotate(Install(zip_bytes, model_path, name, limits),
                  absl::StrCat("install pipeline ", name, ": "));
}

std::vector<FetchReport> FetchInitialPipelines(
    const std::vector<std::string>& urls, const std::string& model_path,
    core::HttpClient& http, const core::FetchOptions& fetch_options,
    const PipelineArchiveLimits& limits) {
  std::vector<FetchReport> reports;
  for (const std::string& url : urls) {
    FetchReport report;
    report.url = url;
    absl::StatusOr<std::string> name = PipelineNameFromUrl(url);
    if (name.ok()) {
      report.pipeline = *name;
      report.status = FetchAndInstall(url, *name, model_path, http,
                                      fetch_options, limits);
    } else {
      report.status = name.status();
    }
    reports.push_back(std::move(report));
  }
  return reports;
}

}  // namespace kepler::model::server
