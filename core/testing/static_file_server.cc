#include "core/testing/static_file_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "core/file_util.h"

namespace kepler::model::core::test_util {
namespace {

constexpr size_t kMaxHeaderBytes = 64 << 10;
constexpr size_t kMaxBodyBytes = size_t{64} << 20;

struct Request {
  std::string method;
  std::string path;  // Percent-decoded, query dropped.
  std::string content_type;
  std::string body;
};

struct Response {
  int code = 200;
  std::string content_type = "application/octet-stream";
  std::string body;
  std::string location;
};

void SendAll(int fd, absl::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // The client went away (e.g. it hit its size cap).
    data.remove_prefix(static_cast<size_t>(n));
  }
}

// Appends what `fd` yields to `buffer` until `done(buffer)` or EOF or error.
template <typename Done>
bool ReadUntil(int fd, std::string& buffer, size_t cap, Done done) {
  char chunk[16 << 10];
  while (!done(buffer)) {
    if (buffer.size() > cap) return false;
    ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
  }
  return true;
}

std::string PercentDecode(absl::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    int value = 0;
    if (in[i] == '%' && i + 2 < in.size() &&
        absl::SimpleHexAtoi(in.substr(i + 1, 2), &value)) {
      out.push_back(static_cast<char>(value));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

// Fills method, path and the headers we use; returns the Content-Length.
size_t ParseHead(absl::string_view head, Request& req) {
  std::vector<absl::string_view> lines = absl::StrSplit(head, "\r\n");
  std::vector<absl::string_view> first = absl::StrSplit(lines[0], ' ');
  req.method = std::string(first[0]);
  absl::string_view target = first.size() > 1 ? first[1] : "";
  req.path = PercentDecode(target.substr(0, target.find('?')));
  size_t length = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(lines[i], absl::MaxSplits(':', 1));
    std::string name = absl::AsciiStrToLower(kv.first);
    absl::string_view value = absl::StripAsciiWhitespace(kv.second);
    if (name == "content-type") req.content_type = std::string(value);
    if (name == "content-length" && !absl::SimpleAtoi(value, &length)) {
      length = 0;
    }
  }
  return length;
}

bool ReadRequest(int fd, Request& req) {
  std::string buffer;
  auto has_head = [](const std::string& b) {
    return b.find("\r\n\r\n") != std::string::npos;
  };
  if (!ReadUntil(fd, buffer, kMaxHeaderBytes, has_head)) return false;
  size_t head_end = buffer.find("\r\n\r\n");
  size_t length = ParseHead(absl::string_view(buffer).substr(0, head_end), req);
  if (length > kMaxBodyBytes) return false;
  req.body = buffer.substr(head_end + 4);
  auto complete = [length](const std::string& b) { return b.size() >= length; };
  if (!ReadUntil(fd, req.body, kMaxBodyBytes, complete)) return false;
  req.body.resize(length);
  return true;
}

absl::string_view ReasonFor(int code) {
  switch (code) {
    case 200: return "OK";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    default: return "Method Not Allowed";
  }
}

std::string Serialize(const Response& r) {
  std::string out = absl::StrCat("HTTP/1.1 ", r.code, " ", ReasonFor(r.code),
                                 "\r\nContent-Type: ", r.content_type,
                                 "\r\nContent-Length: ", r.body.size(),
                                 "\r\nConnection: close\r\n");
  if (!r.location.empty()) absl::StrAppend(&out, "Location: ", r.location, "\r\n");
  absl::StrAppend(&out, "\r\n", r.body);
  return out;
}

Response StatusPage(int code) {
  Response r;
  r.code = code;
  r.content_type = "text/plain";
  r.body = absl::StrCat(code, " ", ReasonFor(code), "\n");
  return r;
}

std::string ContentTypeFor(absl::string_view path) {
  if (absl::EndsWith(path, ".json")) return "application/json";
  if (absl::EndsWith(path, ".zip")) return "application/zip";
  return "application/octet-stream";
}

// `path` is "/a/b" already stripped of any route prefix.
Response ServeFile(const std::string& root, absl::string_view path) {
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    if (part == "..") return StatusPage(400);
  }
  std::string file = absl::StrCat(root, path);
  if (!FileExists(file) || IsDirectory(file)) return StatusPage(404);
  absl::StatusOr<std::string> body = ReadFile(file);
  if (!body.ok()) return StatusPage(404);
  Response r;
  r.content_type = ContentTypeFor(path);
  r.body = *std::move(body);
  return r;
}

// Answers one parsed request; `delay` is called for /slow/ paths.
Response Route(Request& req, const std::string& root,
               absl::FunctionRef<void()> delay) {
  absl::string_view path = req.path;
  if (req.method == "POST" && path == "/echo") {
    Response echo;
    echo.content_type = req.content_type;
    echo.body = std::move(req.body);
    return echo;
  }
  if (req.method != "GET") return StatusPage(405);
  if (absl::ConsumePrefix(&path, "/redirect/")) {
    Response redirect = StatusPage(302);
    redirect.location = absl::StrCat("/", path);
    return redirect;
  }
  if (absl::StartsWith(path, "/slow/")) {
    path.remove_prefix(5);  // Keep the '/' before the file's path.
    delay();
  }
  return ServeFile(root, path);
}

}  // namespace

int UnusedLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  if (fd >= 0) ::close(fd);
  return port;
}

absl::StatusOr<std::unique_ptr<StaticFileServer>> StaticFileServer::Start(
    const Options& options) {
  if (!IsDirectory(options.root)) {
    return absl::InvalidArgumentError("no folder to serve: " + options.root);
  }
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::ErrnoToStatus(errno, "socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(options.port));
  const int on = 1;  // a server restarted on its old port binds while the old one is in TIME_WAIT
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(fd, 64) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    absl::Status status = absl::ErrnoToStatus(errno, "bind/listen 127.0.0.1");
    ::close(fd);
    return status;
  }
  std::unique_ptr<StaticFileServer> server(
      new StaticFileServer(options, fd, ntohs(addr.sin_port)));
  if (::pipe2(server->wake_pipe_, O_CLOEXEC) != 0) {
    return absl::ErrnoToStatus(errno, "pipe");
  }
  server->acceptor_ = std::thread(&StaticFileServer::AcceptLoop, server.get());
  return server;
}

StaticFileServer::StaticFileServer(Options options, int listen_fd, int port)
    : options_(std::move(options)), listen_fd_(listen_fd), port_(port) {}

StaticFileServer::~StaticFileServer() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (acceptor_.joinable()) {
    (void)!::write(wake_pipe_[1], "x", 1);
    acceptor_.join();
  }
  std::vector<std::thread> workers;
  {
    absl::MutexLock lock(&mu_);
    workers.swap(workers_);
  }
  for (std::thread& worker : workers) worker.join();
  for (int fd : {listen_fd_, wake_pipe_[0], wake_pipe_[1]}) {
    if (fd >= 0) ::close(fd);
  }
}

std::string StaticFileServer::Url(absl::string_view path) const {
  absl::ConsumePrefix(&path, "/");
  return absl::StrCat("http://127.0.0.1:", port_, "/", path);
}

int StaticFileServer::request_count() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

void StaticFileServer::AcceptLoop() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) return;
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    absl::MutexLock lock(&mu_);
    if (stopping_) {
      ::close(fd);
      return;
    }
    ++requests_;
    workers_.emplace_back(&StaticFileServer::Serve, this, fd);
  }
}

void StaticFileServer::Delay() {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.delay);
}

void StaticFileServer::Serve(int fd) {
  timeval receive_timeout{5, 0};  // A silent client cannot hold the destructor.
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &receive_timeout,
               sizeof(receive_timeout));
  Request req;
  Response response = ReadRequest(fd, req)
                          ? Route(req, options_.root, [this] { Delay(); })
                          : StatusPage(400);
  SendAll(fd, Serialize(response));
  ::close(fd);
}

}  // namespace kepler::model::core::test_util
