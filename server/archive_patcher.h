// Adds a machine spec to the metadata.json inside a model archive.
//
// Published model archives carry no machine_spec; the reference rewrites each one at start-up
// with the spec of its node type (fill_machine_spec, §2.1 step 4) so that the estimator can
// compute core_ratio. We patch on demand instead, when an archive is served, and keep the
// patched bytes in a small cache.
#ifndef KEPLER_SERVER_ARCHIVE_PATCHER_H_
#define KEPLER_SERVER_ARCHIVE_PATCHER_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "kepler/model/v1/types.pb.h"
#include "server/snapshot.h"

namespace kepler::model::server {

// Returns `zip_bytes` with "machine_spec" set in its metadata.json (other entries unchanged).
absl::StatusOr<std::string> AddMachineSpec(absl::string_view zip_bytes,
                                           const v1::MachineSpec& spec);

// The bytes to serve for a model's archive: the file, patched when the model needs it.
// Thread-safe; remembers up to `capacity` patched archives (the models are held alive by the
// cache, so an entry never outlives its key).
class ArchiveCache {
 public:
  explicit ArchiveCache(size_t capacity = 128) : capacity_(capacity) {}

  absl::StatusOr<std::shared_ptr<const std::string>> Get(
      const std::shared_ptr<const ModelEntry>& model);

 private:
  const size_t capacity_;
  absl::Mutex mu_;
  std::map<std::shared_ptr<const ModelEntry>, std::shared_ptr<const std::string>> patched_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace kepler::model::server

#endif  // KEPLER_SERVER_ARCHIVE_PATCHER_H_
