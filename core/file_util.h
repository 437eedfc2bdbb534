// Small filesystem helpers that report failures as absl::Status.
//
// What: reading, atomically writing, listing, creating and removing files and
// folders on the local filesystem.
// Why: std::filesystem throws by default and POSIX calls report through errno;
// every module boundary here speaks absl::Status instead (STYLE.md habit 8).
// How: each function uses the std::error_code overloads or POSIX calls and
// maps errno to the canonical code with absl::ErrnoToStatus, so a missing path
// is NotFound, a permission problem PermissionDenied, and so on. The message
// always names the path. No exception escapes any of these functions.
//
// Thread-safety: every function is safe to call concurrently; concurrent
// writers of the same path each publish a complete file and the last rename
// wins.
#ifndef KEPLER_CORE_FILE_UTIL_H_
#define KEPLER_CORE_FILE_UTIL_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kepler::model::core {

// Returns the whole content of the regular file at `path`.
[[nodiscard]] absl::StatusOr<std::string> ReadFile(const std::string& path);

// Whether WriteFileAtomic waits for the data to reach the device.
enum class Durability {
  kSynced,    // fsync the file and its folder: the new content survives a crash
  kVolatile,  // no fsync (saves milliseconds): for caches whose loss or a torn copy after a
              // crash is detected and refetched
};

// Replaces the file at `path` with `data` so readers see either the old or the
// new content, never a partial file: writes `<path>.tmp.<pid>.<counter>` in
// the same folder, fsyncs it (kSynced), renames it over `path` and fsyncs the
// folder (kSynced). The temporary file is removed on failure. The parent
// folder must exist.
[[nodiscard]] absl::Status WriteFileAtomic(const std::string& path, absl::string_view data,
                                           Durability durability = Durability::kSynced);

// Creates (or truncates) `path` and writes `data`, with no temporary file, rename or fsync:
// for files inside a private staging folder that is published whole with PublishDirectory, so
// no reader can see a partial file. Use SyncFilesystemOf before publishing for durability.
[[nodiscard]] absl::Status WriteStagedFile(const std::string& path, absl::string_view data);

// Flushes the filesystem holding `path` to its device (syncfs): one call that makes a whole
// staged folder durable, instead of an fsync per file. Best effort: errors are ignored.
void SyncFilesystemOf(const std::string& path);

// Creates `path` and any missing parents. OK when `path` already is a folder;
// FailedPrecondition when it exists and is something else.
[[nodiscard]] absl::Status MakeDirs(const std::string& path);

// Removes `path` and, for a folder, everything below it. Symlinks are removed,
// not followed. OK when `path` does not exist.
[[nodiscard]] absl::Status RemoveAll(const std::string& path);

// Returns the names (not paths) of the entries of folder `path`, sorted
// bytewise, without "." and "..".
[[nodiscard]] absl::StatusOr<std::vector<std::string>> ListDir(
    const std::string& path);

// True when `path` is a folder (following symlinks); false on any error.
bool IsDirectory(const std::string& path);

// True when something exists at `path` (following symlinks, so a dangling
// symlink reports false); false on any error.
bool FileExists(const std::string& path);

// Creates a new, empty, uniquely named folder `<tmp>/<prefix>XXXXXX` (mode
// 0700) under std::filesystem::temp_directory_path() and returns its path.
// The caller owns the folder and removes it with RemoveAll.
[[nodiscard]] absl::StatusOr<std::string> MakeTempDir(absl::string_view prefix);

// Publishes the completely written folder `staging` at `target`, so that a reader sees the old
// folder or the new one, never a mix: an existing `target` is exchanged with `staging` in one
// step (renameat2 RENAME_EXCHANGE) where the filesystem can, else moved to `previous` just
// before the rename (readers then briefly see no folder). The old folder ends up at `staging` or
// `previous`; the caller removes both. On failure the old `target` is left in place.
[[nodiscard]] absl::Status PublishDirectory(const std::string& staging, const std::string& target,
                                            const std::string& previous);

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_FILE_UTIL_H_
