#include "tools/load/fake_unix_server.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"

namespace kepler::model::tools::testing {

FakeUnixServer::FakeUnixServer(absl::string_view name, std::function<void(int)> serve)
    : path_(absl::StrCat("/tmp/kepler-load-", name, "-", getpid(), ".sock")),
      serve_(std::move(serve)) {
  unlink(path_.c_str());
  listener_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  path_.copy(address.sun_path, sizeof(address.sun_path) - 1);
  if (bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
    listen(listener_, 64);
  }
  acceptor_ = std::thread([this] { AcceptAll(); });
}

FakeUnixServer::~FakeUnixServer() {
  stopping_ = true;
  auto waker = Connect(endpoint());  // wakes accept()
  if (waker.ok()) close(*waker);
  acceptor_.join();
  for (std::thread& connection : connections_) connection.join();
  close(listener_);
  unlink(path_.c_str());
}

void FakeUnixServer::AcceptAll() {
  for (;;) {
    int fd = accept(listener_, nullptr, nullptr);
    if (fd < 0) return;
    if (stopping_) {
      close(fd);
      return;
    }
    ++accepted_;
    connections_.emplace_back([this, fd] {
      serve_(fd);
      close(fd);
    });
  }
}

void WriteAll(int fd, absl::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

bool ReadThrough(int fd, absl::string_view terminator, std::string* pending) {
  char buffer[4096];
  const std::string end(terminator);
  while (pending->find(end) == std::string::npos) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n <= 0) return false;
    pending->append(buffer, static_cast<size_t>(n));
  }
  pending->erase(0, pending->find(end) + end.size());
  return true;
}

}  // namespace kepler::model::tools::testing
