// Model archives: reading and writing zip files with minizip, safely.
//
// What: a model archive is a zip of one model's files (metadata.json, the
// model document, the scaler, ...), as kepler-model-db publishes them and as
// our trainer writes them. This module turns zip bytes into named byte
// strings and back, and zips or unzips a whole folder.
// Why: archives arrive from model databases over the network, so every zip is
// untrusted. Reading enforces ArchiveLimits (entry count, bytes per entry and
// in total, counted while inflating rather than trusting the headers) and
// refuses entry names that could escape a folder. Writing is deterministic, so
// the same entries always give the same bytes (stable digests, clean diffs).
// How: minizip's unzip/zip APIs over an in-memory ioapi (Debian's minizip 1.1
// has none built in); callers never see minizip types. Errors in an archive
// are InvalidArgument with a message naming the offending entry.
//
// Entry names: non-empty, relative, '/'-separated, with no "", "." or ".."
// component, no backslash and no NUL; a trailing '/' marks a folder entry,
// which reading skips. Names within one archive are unique.
//
// Thread-safety: all functions are reentrant and share no state.
#ifndef KEPLER_CORE_ARCHIVE_H_
#define KEPLER_CORE_ARCHIVE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kepler::model::core {

// Bounds on what reading one archive may cost. The defaults fit the largest
// published model archives with a wide margin.
struct ArchiveLimits {
  // Most entries (files and folders) the central directory may list.
  size_t max_entries = 10000;
  // Most uncompressed bytes summed over all files.
  uint64_t max_total_bytes = 1ull << 30;  // 1 GiB
  // Most uncompressed bytes of any one file, declared or actually inflated.
  uint64_t max_entry_bytes = 512ull << 20;  // 512 MiB
};

// One file of an archive: its path inside the archive and its content.
struct ArchiveEntry {
  std::string name;
  std::string data;
};

// Returns an error when `name` is not an acceptable entry name (see above).
// Folder names (trailing '/') are accepted.
[[nodiscard]] absl::Status ValidateEntryName(absl::string_view name);

// Reads every file of the zip in `zip_bytes`, in archive order, skipping
// folder entries. InvalidArgument when the bytes are not a zip, an entry is
// corrupt or fails its CRC, is encrypted, has a bad or duplicate name, or a
// limit is exceeded.
[[nodiscard]] absl::StatusOr<std::vector<ArchiveEntry>> ReadZip(
    absl::string_view zip_bytes, const ArchiveLimits& limits);

// ReadZip on the content of the file at `path`.
[[nodiscard]] absl::StatusOr<std::vector<ArchiveEntry>> ReadZipFile(
    const std::string& path, const ArchiveLimits& limits);

// How WriteZip and ZipFolder compress. The defaults give zlib's usual ratio.
struct ZipOptions {
  // zlib level: -1 (default) zlib's default (6), 1 fastest ... 9 smallest, 0 stores every entry.
  int level = -1;
  // Store entries named "*.zip" instead of deflating them again (they do not shrink). Default
  // false.
  bool store_zips = false;
};

// Returns a deflated zip of `entries`, sorted by name, each stamped
// 1980-01-01 00:00:00 with mode 0644, so equal input gives equal bytes.
// InvalidArgument on a bad, folder or duplicate name.
[[nodiscard]] absl::StatusOr<std::string> WriteZip(
    std::vector<ArchiveEntry> entries, const ZipOptions& options = {});

// Zips every regular file below folder `dir`, named by its path relative to
// `dir` with '/' separators. Symlinks are neither followed nor stored; empty
// folders are not stored.
[[nodiscard]] absl::StatusOr<std::string> ZipFolder(const std::string& dir,
                                                    const ZipOptions& options = {});

// How UnzipToFolder and WriteEntriesToFolder write files.
enum class FolderWrites {
  kAtomic,  // each file written aside, fsynced and renamed into place: `dir` may be in use
  kStaged,  // written in place, no fsync: `dir` is a private staging folder, made durable with
            // one SyncFilesystemOf and published whole with PublishDirectory (core/file_util.h)
};

// Reads `zip_bytes` as ReadZip does, then writes each file below `dir`
// (created if missing), creating subfolders and replacing existing files
// atomically. Nothing is written when reading fails. Refuses (and stops at) a
// path whose folder or file below `dir` is a symlink, so nothing is written
// outside `dir`; this assumes no one else modifies `dir` meanwhile.
[[nodiscard]] absl::Status UnzipToFolder(absl::string_view zip_bytes,
                                         const std::string& dir,
                                         const ArchiveLimits& limits,
                                         FolderWrites writes = FolderWrites::kAtomic);

// The writing half of UnzipToFolder, for entries a caller already read (and checked) with
// ReadZip: the same folder creation and symlink refusal.
[[nodiscard]] absl::Status WriteEntriesToFolder(const std::vector<ArchiveEntry>& entries,
                                                const std::string& dir,
                                                FolderWrites writes = FolderWrites::kAtomic);

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_ARCHIVE_H_
