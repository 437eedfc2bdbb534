#include "server/repository.h"

#include <filesystem>
#include <iostream>

#include "absl/hash/hash.h"
#include "server/pipeline_loader.h"

namespace kepler::model::server {

uint64_t TreeFingerprint(const std::string& root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  uint64_t hash = 0;
  auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    // Hidden top-level entries are work in progress (downloads, trash); the loader skips them.
    if (it.depth() == 0 && it->path().filename().string().rfind('.', 0) == 0) {
      it.disable_recursion_pending();
      continue;
    }
    std::error_code entry_ec;
    auto mtime = fs::last_write_time(it->path(), entry_ec).time_since_epoch().count();
    uintmax_t size = it->is_regular_file(entry_ec) ? it->file_size(entry_ec) : 0;
    // Order-independent combination: directory iteration order is unspecified.
    hash += absl::HashOf(it->path().string(), static_cast<int64_t>(mtime), size);
  }
  return hash;
}

absl::StatusOr<std::unique_ptr<Repository>> Repository::Create(const Options& options) {
  std::unique_ptr<Repository> repository(new Repository(options));
  repository->Reload(/*force=*/true);
  if (options.poll_interval > absl::ZeroDuration()) {
    repository->watcher_ = std::thread([r = repository.get()] { r->WatchLoop(); });
  }
  return repository;
}

Repository::~Repository() {
  stop_.Notify();
  if (watcher_.joinable()) watcher_.join();
}

std::shared_ptr<const Snapshot> Repository::Current() const {
  absl::MutexLock lock(&mu_);
  return current_;
}

bool Repository::Reload(bool force) {
  absl::MutexLock reload_lock(&reload_mu_);
  uint64_t fingerprint = TreeFingerprint(options_.model_path);
  if (!force && fingerprint == fingerprint_) return false;
  std::vector<std::string> failed;
  std::vector<Pipeline> pipelines = LoadPipelines(options_.model_path, nullptr, &failed);
  // A pipeline whose folder no longer loads (a corrupt or half-copied update) keeps serving the
  // version loaded before, if there was one.
  const std::shared_ptr<const Snapshot> previous = Current();
  std::vector<std::string> stale;
  for (const std::string& name : failed) {
    if (const Pipeline* last_good = previous ? previous->FindPipeline(name) : nullptr) {
      pipelines.push_back(*last_good);
      stale.push_back(name);
      std::cerr << "repository: pipeline " << name
                << " failed to reload; still serving the version loaded at "
                << absl::FormatTime(previous->loaded_at()) << "\n";
    }
  }
  reload_failures_ += failed.size();
  auto snapshot = std::make_shared<const Snapshot>(std::move(pipelines), absl::Now(),
                                                   std::move(stale), reload_failures_);
  fingerprint_ = fingerprint;
  {
    absl::MutexLock lock(&mu_);
    current_ = std::move(snapshot);
  }
  ++generation_;
  std::cerr << "repository: loaded " << Current()->pipelines().size() << " pipelines, "
            << Current()->ModelCount() << " models from " << options_.model_path << "\n";
  return true;
}

void Repository::WatchLoop() {
  while (!stop_.WaitForNotificationWithTimeout(options_.poll_interval)) Reload();
}

}  // namespace kepler::model::server
