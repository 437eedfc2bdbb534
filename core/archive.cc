#include "core/archive.h"

#include <minizip/ioapi.h>
#include <minizip/unzip.h>
#include <minizip/zip.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <system_error>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/file_util.h"
#include "core/internal/zip_memory_io.h"
#include "core/status_macros.h"

namespace kepler::model::core {
namespace {

namespace fs = std::filesystem;
using internal::kMemoryPath;
using internal::MemoryIo;
using internal::MemoryStream;

constexpr size_t kChunk = 64 * 1024;
// "Made by" Unix (3), zip spec 2.0, so external_fa carries the file mode.
constexpr uLong kVersionMadeBy = (3 << 8) | 20;
constexpr uLong kRegularFile0644 = 0100644u << 16;

// ---- Names and errors. ----

// Quotes a hostile name for a message: escaped and at most ~200 bytes.
std::string Quote(absl::string_view name) {
  constexpr size_t kMax = 200;
  std::string quoted = absl::CHexEscape(name.substr(0, kMax));
  return absl::StrCat("'", quoted, name.size() > kMax ? "...'" : "'");
}

absl::Status EntryError(absl::string_view name, absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("zip entry ", Quote(name), ": ", problem));
}

const char* NameProblem(absl::string_view name) {
  if (name.empty()) return "empty name";
  if (name.size() > 0xffff) return "name longer than 65535 bytes";
  if (name.find('\0') != name.npos) return "name contains NUL";
  if (name.find('\\') != name.npos) return "name contains a backslash";
  if (name.front() == '/') return "absolute path";
  if (name.back() == '/') name.remove_suffix(1);
  for (absl::string_view part : absl::StrSplit(name, '/')) {
    if (part.empty()) return "empty path component";
    if (part == "..") return "'..' path component";
    if (part == ".") return "'.' path component";
  }
  return nullptr;
}

bool IsFolderName(absl::string_view name) {
  return !name.empty() && name.back() == '/';
}

// ---- Reading. ----

// True for a zip of no entries: only an end-of-central-directory record (and
// its comment). minizip 1.1 cannot open one, but WriteZip({}) writes it.
bool IsEmptyZip(absl::string_view bytes) {
  constexpr size_t kEocdSize = 22;
  if (bytes.size() < kEocdSize || bytes.substr(0, 4) != "PK\x05\x06") {
    return false;
  }
  auto le16 = [&](size_t at) -> size_t {
    auto byte = [&](size_t i) { return static_cast<uint8_t>(bytes[i]); };
    return byte(at) | byte(at + 1) << 8;
  };
  return le16(8) == 0 && le16(10) == 0 && le16(20) == bytes.size() - kEocdSize;
}

struct UnzCloser {
  void operator()(void* zip) const { unzClose(zip); }
};

// Walks the central directory of an open zip, enforcing the limits.
class EntryReader {
 public:
  EntryReader(unzFile zip, const ArchiveLimits& limits)
      : zip_(zip), limits_(limits) {}

  absl::StatusOr<std::vector<ArchiveEntry>> ReadAll() {
    unz_global_info64 global;
    if (unzGetGlobalInfo64(zip_, &global) != UNZ_OK) {
      return absl::InvalidArgumentError("zip: unreadable central directory");
    }
    RETURN_IF_ERROR(CheckCount(global.number_entry));
    if (global.number_entry == 0) return std::move(entries_);
    uint64_t count = 0;
    for (int rc = unzGoToFirstFile(zip_); rc != UNZ_END_OF_LIST_OF_FILE;
         rc = unzGoToNextFile(zip_)) {
      if (rc != UNZ_OK) {
        return absl::InvalidArgumentError(absl::StrCat(
            "zip: corrupt central directory after ", count, " entries"));
      }
      RETURN_IF_ERROR(CheckCount(++count));
      RETURN_IF_ERROR(ReadCurrent());
    }
    return std::move(entries_);
  }

 private:
  absl::Status CheckCount(uint64_t count) const {
    if (count <= limits_.max_entries) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(
        "zip: more than max_entries=", limits_.max_entries, " entries"));
  }

  absl::StatusOr<std::string> CurrentName(unz_file_info64* info) {
    if (unzGetCurrentFileInfo64(zip_, info, nullptr, 0, nullptr, 0, nullptr,
                                0) != UNZ_OK) {
      return absl::InvalidArgumentError("zip: corrupt central directory entry");
    }
    std::string name(info->size_filename + 1, '\0');
    if (unzGetCurrentFileInfo64(zip_, info, name.data(), name.size(), nullptr,
                                0, nullptr, 0) != UNZ_OK) {
      return absl::InvalidArgumentError("zip: corrupt central directory entry");
    }
    name.resize(info->size_filename);
    return name;
  }

  absl::Status ReadCurrent() {
    unz_file_info64 info;
    ASSIGN_OR_RETURN(std::string name, CurrentName(&info));
    RETURN_IF_ERROR(ValidateEntryName(name));
    if (IsFolderName(name)) return absl::OkStatus();
    if (!names_.insert(name).second) return EntryError(name, "duplicate name");
    RETURN_IF_ERROR(CheckHeader(name, info));
    std::string data;
    RETURN_IF_ERROR(Inflate(name, &data));
    if (data.size() != info.uncompressed_size) {
      return EntryError(name, "size differs from the declared size");
    }
    if (crc32(0, reinterpret_cast<const Bytef*>(data.data()), data.size()) !=
        info.crc) {
      return EntryError(name, "CRC mismatch");
    }
    total_ += data.size();
    entries_.push_back({std::move(name), std::move(data)});
    return absl::OkStatus();
  }

  absl::Status CheckHeader(const std::string& name,
                           const unz_file_info64& info) const {
    if (info.flag & 1) return EntryError(name, "encrypted entries unsupported");
    if (info.compression_method != 0 && info.compression_method != Z_DEFLATED) {
      return EntryError(name, absl::StrCat("unsupported compression method ",
                                           info.compression_method));
    }
    return CheckSize(name, info.uncompressed_size, "declared size");
  }

  absl::Status CheckSize(const std::string& name, uint64_t size,
                         absl::string_view what) const {
    if (size > limits_.max_entry_bytes) {
      return EntryError(name, absl::StrCat(what, " exceeds max_entry_bytes=",
                                           limits_.max_entry_bytes));
    }
    if (size > limits_.max_total_bytes - total_) {
      return EntryError(name, absl::StrCat(what, " exceeds max_total_bytes=",
                                           limits_.max_total_bytes));
    }
    return absl::OkStatus();
  }

  // Counts the bytes actually inflated: the header is not trusted.
  absl::Status Inflate(const std::string& name, std::string* data) {
    if (unzOpenCurrentFile(zip_) != UNZ_OK) {
      return EntryError(name, "corrupt local header");
    }
    std::unique_ptr<char[]> buffer(new char[kChunk]);
    int n;
    while ((n = unzReadCurrentFile(zip_, buffer.get(), kChunk)) > 0) {
      absl::Status status = CheckSize(name, data->size() + n, "inflated size");
      if (!status.ok()) {
        unzCloseCurrentFile(zip_);
        return status;
      }
      data->append(buffer.get(), n);
    }
    int close_rc = unzCloseCurrentFile(zip_);
    if (n < 0) {
      return EntryError(name, absl::StrCat("corrupt data (error ", n, ")"));
    }
    if (close_rc == UNZ_CRCERROR) return EntryError(name, "CRC mismatch");
    if (close_rc != UNZ_OK) return EntryError(name, "corrupt data");
    return absl::OkStatus();
  }

  unzFile zip_;
  const ArchiveLimits& limits_;
  uint64_t total_ = 0;
  std::set<std::string> names_;
  std::vector<ArchiveEntry> entries_;
};

// ---- Writing. ----

struct ZipCloser {
  void operator()(void* zip) const { zipClose(zip, nullptr); }
};

absl::Status ValidateForWrite(const std::vector<ArchiveEntry>& sorted) {
  for (size_t i = 0; i < sorted.size(); ++i) {
    const std::string& name = sorted[i].name;
    RETURN_IF_ERROR(ValidateEntryName(name));
    if (IsFolderName(name)) return EntryError(name, "folder name for a file");
    if (i > 0 && sorted[i - 1].name == name) {
      return EntryError(name, "duplicate name");
    }
  }
  return absl::OkStatus();
}

absl::Status AddEntry(zipFile zip, const ArchiveEntry& entry, const ZipOptions& options) {
  const bool store = options.level == 0 || (options.store_zips && absl::EndsWith(entry.name, ".zip"));
  zip_fileinfo info{};
  info.tmz_date.tm_mday = 1;
  info.tmz_date.tm_year = 1980;
  info.external_fa = kRegularFile0644;
  int zip64 = entry.data.size() >= 0xffffffffu ? 1 : 0;
  if (zipOpenNewFileInZip4_64(
          zip, entry.name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr,
          store ? 0 : Z_DEFLATED, store ? 0 : options.level, 0, -MAX_WBITS, 8,
          Z_DEFAULT_STRATEGY, nullptr, 0, kVersionMadeBy, 0, zip64) != ZIP_OK) {
    return absl::InternalError(absl::StrCat("cannot add ", Quote(entry.name)));
  }
  absl::string_view rest = entry.data;
  while (!rest.empty()) {
    unsigned n = static_cast<unsigned>(std::min<size_t>(rest.size(), 1u << 30));
    if (zipWriteInFileInZip(zip, rest.data(), n) != ZIP_OK) {
      return absl::InternalError(
          absl::StrCat("cannot deflate ", Quote(entry.name)));
    }
    rest.remove_prefix(n);
  }
  if (zipCloseFileInZip(zip) != ZIP_OK) {
    return absl::InternalError(
        absl::StrCat("cannot close ", Quote(entry.name)));
  }
  return absl::OkStatus();
}

// ---- Folders. ----

// Relative '/'-separated paths of the regular files below `dir`, unsorted.
absl::StatusOr<std::vector<std::string>> RegularFilesBelow(
    const std::string& dir) {
  const fs::path root(dir);
  std::vector<std::string> names;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    fs::file_status status = it->symlink_status(ec);
    if (ec) break;
    if (status.type() != fs::file_type::regular) continue;
    // Relative to the root whatever its spelling ("a//b", "a/./b", a trailing '/').
    names.push_back(it->path().lexically_relative(root).generic_string());
  }
  if (ec) {
    return absl::ErrnoToStatus(ec.value(), absl::StrCat("cannot list ", dir));
  }
  return names;
}

absl::Status RefuseSymlink(const std::string& path) {
  std::error_code ec;
  fs::file_status status = fs::symlink_status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return absl::ErrnoToStatus(ec.value(), absl::StrCat("cannot stat ", path));
  }
  if (status.type() == fs::file_type::symlink) {
    return absl::FailedPreconditionError(
        absl::StrCat("refusing to write through symlink ", path));
  }
  return absl::OkStatus();
}

// Writes one validated entry below `dir`, one path component at a time.
absl::Status WriteBelow(const std::string& dir, const ArchiveEntry& entry, FolderWrites writes) {
  std::vector<std::string> parts = absl::StrSplit(entry.name, '/');
  std::string path = dir;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    path = absl::StrCat(path, "/", parts[i]);
    RETURN_IF_ERROR(RefuseSymlink(path));
    RETURN_IF_ERROR(MakeDirs(path));
  }
  path = absl::StrCat(path, "/", parts.back());
  RETURN_IF_ERROR(RefuseSymlink(path));
  return writes == FolderWrites::kStaged ? WriteStagedFile(path, entry.data)
                                         : WriteFileAtomic(path, entry.data);
}

}  // namespace

absl::Status ValidateEntryName(absl::string_view name) {
  const char* problem = NameProblem(name);
  if (problem == nullptr) return absl::OkStatus();
  return EntryError(name, problem);
}

absl::StatusOr<std::vector<ArchiveEntry>> ReadZip(absl::string_view zip_bytes,
                                                  const ArchiveLimits& limits) {
  MemoryStream stream;
  stream.read_only = zip_bytes;
  zlib_filefunc64_def io = MemoryIo(&stream);
  std::unique_ptr<void, UnzCloser> zip(unzOpen2_64(kMemoryPath, &io));
  if (zip == nullptr && IsEmptyZip(zip_bytes)) {
    return std::vector<ArchiveEntry>();
  }
  if (zip == nullptr) {
    return absl::InvalidArgumentError(
        "not a zip archive: no readable end of central directory");
  }
  return EntryReader(zip.get(), limits).ReadAll();
}

absl::StatusOr<std::vector<ArchiveEntry>> ReadZipFile(
    const std::string& path, const ArchiveLimits& limits) {
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  absl::StatusOr<std::vector<ArchiveEntry>> entries = ReadZip(bytes, limits);
  if (entries.ok()) return entries;
  return absl::Status(entries.status().code(),
                      absl::StrCat(path, ": ", entries.status().message()));
}

absl::StatusOr<std::string> WriteZip(std::vector<ArchiveEntry> entries,
                                     const ZipOptions& options) {
  std::sort(entries.begin(), entries.end(),
            [](const ArchiveEntry& a, const ArchiveEntry& b) {
              return a.name < b.name;
            });
  RETURN_IF_ERROR(ValidateForWrite(entries));
  std::string bytes;
  MemoryStream stream;
  stream.writable = &bytes;
  zlib_filefunc64_def io = MemoryIo(&stream);
  std::unique_ptr<void, ZipCloser> zip(
      zipOpen2_64(kMemoryPath, APPEND_STATUS_CREATE, nullptr, &io));
  if (zip == nullptr) return absl::InternalError("cannot start a zip");
  for (const ArchiveEntry& entry : entries) {
    RETURN_IF_ERROR(AddEntry(zip.get(), entry, options));
  }
  if (zipClose(zip.release(), nullptr) != ZIP_OK) {
    return absl::InternalError("cannot finish the zip");
  }
  return bytes;
}

absl::StatusOr<std::string> ZipFolder(const std::string& dir, const ZipOptions& options) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, RegularFilesBelow(dir));
  std::vector<ArchiveEntry> entries;
  entries.reserve(names.size());
  for (std::string& name : names) {
    ASSIGN_OR_RETURN(std::string data, ReadFile(absl::StrCat(dir, "/", name)));
    entries.push_back({std::move(name), std::move(data)});
  }
  return WriteZip(std::move(entries), options);
}

absl::Status WriteEntriesToFolder(const std::vector<ArchiveEntry>& entries,
                                  const std::string& dir, FolderWrites writes) {
  RETURN_IF_ERROR(MakeDirs(dir));
  for (const ArchiveEntry& entry : entries) {
    RETURN_IF_ERROR(WriteBelow(dir, entry, writes));
  }
  return absl::OkStatus();
}

absl::Status UnzipToFolder(absl::string_view zip_bytes, const std::string& dir,
                           const ArchiveLimits& limits, FolderWrites writes) {
  ASSIGN_OR_RETURN(std::vector<ArchiveEntry> entries,
                   ReadZip(zip_bytes, limits));
  return WriteEntriesToFolder(entries, dir, writes);
}

}  // namespace kepler::model::core
