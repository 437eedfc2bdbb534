#include "tools/load/one_shot.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "core/status_macros.h"

namespace kepler::model::tools {
namespace {

absl::Status SendAll(int fd, absl::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return absl::ErrnoToStatus(errno, "write");
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status ReadReply(int fd, absl::Time deadline, ReplyReader* reader) {
  char buffer[16 * 1024];
  for (;;) {
    int wait_ms = static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now()));
    pollfd p{fd, POLLIN, 0};
    if (wait_ms <= 0 || poll(&p, 1, wait_ms) == 0) {
      return absl::DeadlineExceededError("no complete reply in time");
    }
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return absl::ErrnoToStatus(errno, "read");
    if (n == 0) {
      reader->EndOfStream();
      return absl::OkStatus();
    }
    if (reader->Feed({buffer, static_cast<size_t>(n)}) == ReplyReader::State::kDone) {
      return absl::OkStatus();
    }
  }
}

}  // namespace

absl::Status ExchangeOnce(const Endpoint& endpoint, absl::string_view request,
                          absl::Duration timeout, ReplyReader* reader) {
  const absl::Time deadline = absl::Now() + timeout;
  reader->Reset();
  ASSIGN_OR_RETURN(int fd, Connect(endpoint));
  absl::Status status = SendAll(fd, request);
  if (status.ok()) status = ReadReply(fd, deadline, reader);
  close(fd);
  return status;
}

}  // namespace kepler::model::tools
