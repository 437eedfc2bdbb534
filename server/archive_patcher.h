// Completes a served model archive as the reference's served archives are complete.
//
// Published model archives carry no machine_spec and no weight.json; the reference copies the
// sibling weight document in as weight.json when it unpacks a pipeline and rewrites each archive
// at start-up with the spec of its node type (fill_machine_spec, §2.1 step 4), so that an
// estimator can evaluate weight models and compute core_ratio. We complete archives on demand
// instead, when one is served, and keep the completed bytes in a small cache.
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

// Returns `zip_bytes` with "machine_spec" set in its metadata.json when `model` has a spec the
// archive lacks, and weight.json added when the model has a weight document and the archive has
// none (other entries unchanged).
absl::StatusOr<std::string> CompleteArchive(absl::string_view zip_bytes, const ModelEntry& model);

// The bytes to serve for a model's archive: the file, completed when the model needs it.
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
