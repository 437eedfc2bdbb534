#include "core/file_util.h"

#include <stdio.h>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace kepler::model::core {
namespace {

namespace fs = std::filesystem;

absl::Status ErrnoError(int error_number, absl::string_view what,
                        const std::string& path) {
  return absl::ErrnoToStatus(error_number, absl::StrCat(what, " ", path));
}

absl::Status CodeError(const std::error_code& ec, absl::string_view what,
                       const std::string& path) {
  return ErrnoError(ec.value(), what, path);
}

// Closes the descriptor when it goes out of scope.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  // Closes now and reports the result, which matters after writing.
  int Close() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

absl::Status WriteAll(int fd, absl::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError(errno, "cannot write", path);
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status WriteAndSync(const std::string& path, absl::string_view data, bool sync) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError(errno, "cannot create", path);
  FdCloser closer(fd);
  RETURN_IF_ERROR(WriteAll(fd, data, path));
  if (sync && ::fsync(fd) != 0) return ErrnoError(errno, "cannot fsync", path);
  if (closer.Close() != 0) return ErrnoError(errno, "cannot close", path);
  return absl::OkStatus();
}

// Makes a rename durable. Best effort: some filesystems refuse fsync on a
// folder, and the data itself is already synced.
void SyncParentDir(const std::string& path) {
  std::string parent = fs::path(path).parent_path().string();
  if (parent.empty()) parent = ".";
  int fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "cannot open", path);
  FdCloser closer(fd);
  std::string data;
  char buffer[64 * 1024];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError(errno, "cannot read", path);
    if (n == 0) return data;
    data.append(buffer, static_cast<size_t>(n));
  }
}

absl::Status WriteFileAtomic(const std::string& path, absl::string_view data,
                             Durability durability) {
  static std::atomic<uint64_t> counter{0};
  std::string tmp = absl::StrCat(path, ".tmp.", ::getpid(), ".", counter++);
  const bool sync = durability == Durability::kSynced;
  absl::Status status = WriteAndSync(tmp, data, sync);
  if (status.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    status = ErrnoError(errno, "cannot rename into place", path);
  }
  if (!status.ok()) {
    ::unlink(tmp.c_str());
    return status;
  }
  if (sync) SyncParentDir(path);
  return absl::OkStatus();
}

absl::Status WriteStagedFile(const std::string& path, absl::string_view data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError(errno, "cannot create", path);
  FdCloser closer(fd);
  RETURN_IF_ERROR(WriteAll(fd, data, path));
  if (closer.Close() != 0) return ErrnoError(errno, "cannot close", path);
  return absl::OkStatus();
}

void SyncFilesystemOf(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::syncfs(fd);
  ::close(fd);
}

absl::Status MakeDirs(const std::string& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return CodeError(ec, "cannot create folder", path);
  if (!IsDirectory(path)) {
    return absl::FailedPreconditionError(absl::StrCat("not a folder: ", path));
  }
  return absl::OkStatus();
}

absl::Status RemoveAll(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) return CodeError(ec, "cannot remove", path);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> ListDir(const std::string& path) {
  std::error_code ec;
  fs::directory_iterator it(path, ec);
  std::vector<std::string> names;
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  if (ec) return CodeError(ec, "cannot list folder", path);
  std::sort(names.begin(), names.end());
  return names;
}

bool IsDirectory(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

bool FileExists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

absl::StatusOr<std::string> MakeTempDir(absl::string_view prefix) {
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);
  if (ec) return CodeError(ec, "no temporary folder", "");
  std::string templ = (base / absl::StrCat(prefix, "XXXXXX")).string();
  if (::mkdtemp(templ.data()) == nullptr) {
    return ErrnoError(errno, "cannot create temporary folder", templ);
  }
  return templ;
}

static absl::Status RenameError(const std::string& from, const std::string& to) {
  return absl::ErrnoToStatus(errno,
                             absl::StrCat("cannot rename ", from, " to ", to));
}

static absl::Status PlainRename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return RenameError(from, to);
  return absl::OkStatus();
}

// For filesystems without RENAME_EXCHANGE: readers briefly see no folder,
// never half of one. The old one goes back if the new cannot move in.
static absl::Status MoveAsideThenRename(const std::string& from, const std::string& to,
                                 const std::string& previous) {
  if (::rename(to.c_str(), previous.c_str()) != 0) {
    if (errno == ENOENT) return PlainRename(from, to);
    return RenameError(to, previous);
  }
  absl::Status status = PlainRename(from, to);
  if (!status.ok()) (void)::rename(previous.c_str(), to.c_str());
  return status;
}

absl::Status PublishDirectory(const std::string& from, const std::string& to,
                           const std::string& previous) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(),
                  RENAME_EXCHANGE) == 0) {
    return absl::OkStatus();
  }
  if (errno == ENOENT) return PlainRename(from, to);  // First install.
  if (errno == EINVAL || errno == ENOSYS) {
    return MoveAsideThenRename(from, to, previous);
  }
  return RenameError(from, to);
}

}  // namespace kepler::model::core
