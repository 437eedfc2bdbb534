// The model repository: the current Snapshot of the model path, reloaded when the folder changes.
//
// Readers call Current() and hold the returned pointer for one request; a reload builds a whole
// new Snapshot off the request path and swaps the pointer, so requests never wait for a reload
// and in-flight ones finish on the snapshot they started with. Changes are detected by polling a
// fingerprint of the folder tree (names, sizes, modification times) on an interval; Reload()
// forces a rescan.
//
// Thread-safe.
#ifndef KEPLER_SERVER_REPOSITORY_H_
#define KEPLER_SERVER_REPOSITORY_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "server/snapshot.h"

namespace kepler::model::server {

class Repository {
 public:
  struct Options {
    // Folder holding pipeline folders (MODEL_PATH).
    std::string model_path;
    // How often the folder is checked for changes; zero disables watching.
    absl::Duration poll_interval = absl::Seconds(2);
  };

  // Loads the model path once (an empty or missing folder gives an empty snapshot) and starts
  // watching it.
  static absl::StatusOr<std::unique_ptr<Repository>> Create(const Options& options);
  ~Repository();

  // The snapshot to answer one request from. Never null.
  std::shared_ptr<const Snapshot> Current() const;

  // Rescans now; swaps in a new snapshot when the folder changed (or `force`). Returns true
  // when a new snapshot was published.
  bool Reload(bool force = false);

  // Number of snapshots published so far (1 after Create()).
  int64_t generation() const { return generation_.load(); }

 private:
  explicit Repository(Options options) : options_(std::move(options)) {}
  void WatchLoop();

  const Options options_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const Snapshot> current_ ABSL_GUARDED_BY(mu_);
  // Fingerprint of the tree the current snapshot was built from.
  uint64_t fingerprint_ ABSL_GUARDED_BY(reload_mu_) = 0;
  int64_t reload_failures_ ABSL_GUARDED_BY(reload_mu_) = 0;
  absl::Mutex reload_mu_;  // one reload at a time
  std::atomic<int64_t> generation_{0};
  absl::Notification stop_;
  std::thread watcher_;
};

// Hash of every path under `root` with its size and modification time; hidden top-level entries
// (in-progress downloads, folders being deleted) are left out, as the loader leaves them out.
uint64_t TreeFingerprint(const std::string& root);

}  // namespace kepler::model::server

#endif  // KEPLER_SERVER_REPOSITORY_H_
