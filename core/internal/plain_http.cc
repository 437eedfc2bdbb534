#include "core/internal/plain_http.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/internal/http_response_reader.h"
#include "core/internal/http_url.h"
#include "core/status_macros.h"
#include "core/version.h"

namespace kepler::model::core::internal {
namespace {

// Owns a socket descriptor.
class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Socket& operator=(Socket&&) = delete;
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  int fd() const { return fd_; }

 private:
  int fd_;
};

absl::Status Unavailable(absl::string_view what, int error) {
  return absl::UnavailableError(absl::StrCat(what, ": ", std::strerror(error)));
}

// Milliseconds until `deadline` for poll(): rounded up, -1 when infinite.
int PollMillis(absl::Time deadline) {
  if (deadline == absl::InfiniteFuture()) return -1;
  absl::Duration left = deadline - absl::Now();
  if (left <= absl::ZeroDuration()) return 0;
  int64_t ms = absl::ToInt64Milliseconds(absl::Ceil(left, absl::Milliseconds(1)));
  return static_cast<int>(std::min<int64_t>(ms, INT_MAX));
}

// Waits until `fd` is ready for `events`, or DeadlineExceeded "timed out
// <doing>" at `deadline`. Errors and hang-ups count as ready: the following
// send, recv or getsockopt reports them.
absl::Status WaitFor(int fd, short events, absl::Time deadline,
                     absl::string_view doing) {
  pollfd p{fd, events, 0};
  for (;;) {
    int rc = ::poll(&p, 1, PollMillis(deadline));
    if (rc > 0) return absl::OkStatus();
    if (rc == 0) return absl::DeadlineExceededError(absl::StrCat("timed out ", doing));
    if (errno != EINTR) return Unavailable("poll", errno);
  }
}

absl::StatusOr<Socket> ConnectOne(const addrinfo& ai, absl::Time deadline) {
  Socket s(::socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    ai.ai_protocol));
  if (s.fd() < 0) return Unavailable("socket", errno);
  if (::connect(s.fd(), ai.ai_addr, ai.ai_addrlen) == 0) return s;
  if (errno != EINPROGRESS && errno != EINTR) {
    return absl::UnavailableError(std::strerror(errno));
  }
  RETURN_IF_ERROR(WaitFor(s.fd(), POLLOUT, deadline, "connecting"));
  int error = 0;
  socklen_t length = sizeof(error);
  if (::getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
  if (error != 0) return absl::UnavailableError(std::strerror(error));
  return s;
}

// Tries every address of `url.host` in resolver order, each with an equal
// share of the time left, so one unreachable address does not starve the rest.
absl::StatusOr<Socket> Connect(const HttpUrl& url, absl::Time deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* list = nullptr;
  int rc = ::getaddrinfo(url.host.c_str(), std::to_string(url.port).c_str(),
                         &hints, &list);
  if (rc != 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot resolve host ", url.host, ": ",
        rc == EAI_SYSTEM ? std::strerror(errno) : ::gai_strerror(rc)));
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(list, &::freeaddrinfo);
  int left = 0;
  for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) ++left;
  absl::Status last = absl::UnavailableError("no address");
  bool timed_out = false;
  for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next, --left) {
    absl::Time now = absl::Now();
    absl::Time share = deadline == absl::InfiniteFuture()
                           ? deadline
                           : now + std::max(deadline - now, absl::ZeroDuration()) / left;
    absl::StatusOr<Socket> s = ConnectOne(*ai, share);
    if (s.ok()) return s;
    last = s.status();
    timed_out = timed_out || absl::IsDeadlineExceeded(last);
  }
  std::string where = absl::StrCat(url.host, " port ", url.port);
  if (timed_out) {
    return absl::DeadlineExceededError(absl::StrCat("connecting to ", where, " timed out"));
  }
  return absl::UnavailableError(
      absl::StrCat("cannot connect to ", where, ": ", last.message()));
}

absl::Status SendAll(int fd, absl::string_view data, int flags, absl::Time deadline) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | flags);
    if (n >= 0) {
      data.remove_prefix(static_cast<size_t>(n));
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      RETURN_IF_ERROR(WaitFor(fd, POLLOUT, deadline, "sending the request"));
    } else if (errno != EINTR) {
      return Unavailable("sending the request", errno);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> RecvSome(int fd, char* data, size_t size, absl::Time deadline) {
  for (;;) {
    ssize_t n = ::recv(fd, data, size, 0);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      RETURN_IF_ERROR(WaitFor(fd, POLLIN, deadline, "waiting for the response"));
    } else if (errno != EINTR) {
      return Unavailable("receiving the response", errno);
    }
  }
}

// The request line and headers. Identity encoding: the client decodes no
// compression, and Connection: close frames the exchange to one request.
std::string RequestHead(const PlainHttpRequest& req, const HttpUrl& url, bool post) {
  std::string head = absl::StrCat(
      req.method, " ", url.target, " HTTP/1.1\r\nHost: ", url.HostHeader(),
      "\r\nUser-Agent: kepler-model/", kVersion,
      "\r\nAccept: */*\r\nAccept-Encoding: identity\r\nConnection: close\r\n");
  if (post && !req.content_type.empty()) {
    absl::StrAppend(&head, "Content-Type: ", req.content_type, "\r\n");
  }
  if (post) absl::StrAppend(&head, "Content-Length: ", req.body.size(), "\r\n");
  head += "\r\n";
  return head;
}

// One request and its response on a fresh connection to `url_text`.
absl::StatusOr<ParsedHttpResponse> Exchange(const PlainHttpRequest& req,
                                            const std::string& url_text, bool post) {
  ASSIGN_OR_RETURN(HttpUrl url, ParseHttpUrl(url_text));
  absl::Time connect_by = std::min(req.deadline, absl::Now() + req.connect_timeout);
  ASSIGN_OR_RETURN(Socket socket, Connect(url, connect_by));
  // MSG_MORE: head and body leave in the same segments, not head, then body
  // after the peer's delayed ACK.
  bool body = post && !req.body.empty();
  absl::Status sent = SendAll(socket.fd(), RequestHead(req, url, post),
                              body ? MSG_MORE : 0, req.deadline);
  if (sent.ok() && body) sent = SendAll(socket.fd(), req.body, 0, req.deadline);
  auto source = [&](char* data, size_t size) {
    return RecvSome(socket.fd(), data, size, req.deadline);
  };
  absl::StatusOr<ParsedHttpResponse> got = ReadHttpResponse(source, req.max_bytes);
  // A server may answer (413, 401) and close before reading the whole body;
  // its answer is worth more than our failed send.
  if (!sent.ok() && !got.ok()) return sent;
  return got;
}

bool IsRedirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 ||
         status == 308;
}

// `status` with "<method> <url>: " in front, and the URL being fetched when
// a redirect led elsewhere.
absl::Status Annotated(const absl::Status& status, const PlainHttpRequest& req,
                       const std::string& url) {
  std::string prefix = absl::StrCat(req.method, " ", req.url, ": ");
  if (url != req.url) absl::StrAppend(&prefix, "redirected to ", url, ": ");
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

absl::Status CheckRequest(const PlainHttpRequest& req) {
  if (req.method != "GET" && req.method != "POST") {
    return absl::InvalidArgumentError("only GET and POST are supported");
  }
  if (req.content_type.find_first_of("\r\n") != absl::string_view::npos) {
    return absl::InvalidArgumentError("line break in Content-Type");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PlainHttpResponse> PlainHttpFetch(const PlainHttpRequest& req) {
  absl::Status valid = CheckRequest(req);
  if (!valid.ok()) return Annotated(valid, req, req.url);
  bool post = req.method == "POST";
  std::string url = req.url;
  PlainHttpResponse out;
  out.redirects_left = req.max_redirects;
  for (;;) {
    absl::StatusOr<ParsedHttpResponse> got = Exchange(req, url, post);
    if (!got.ok()) return Annotated(got.status(), req, url);
    if (post || !IsRedirect(got->status) || got->location.empty()) {
      out.status = got->status;
      out.content_type = std::move(got->content_type);
      out.body = std::move(got->body);
      return out;
    }
    if (out.redirects_left-- <= 0) {
      return Annotated(absl::FailedPreconditionError(absl::StrCat(
                           "more than ", req.max_redirects, " redirects")),
                       req, url);
    }
    std::string next = ResolveLocation(url, got->location);
    absl::string_view scheme = absl::string_view(next).substr(0, next.find(':'));
    if (absl::EqualsIgnoreCase(scheme, "https")) {
      out.https_location = std::move(next);
      return out;
    }
    if (!absl::EqualsIgnoreCase(scheme, "http")) {
      return Annotated(absl::InvalidArgumentError(absl::StrCat(
                           "redirect to unsupported URL ", next)),
                       req, url);
    }
    url = std::move(next);
  }
}

}  // namespace kepler::model::core::internal
