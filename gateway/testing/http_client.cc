#include "gateway/testing/http_client.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "core/status_macros.h"

namespace kepler::model::gateway::testing {
namespace {

absl::Status SocketError(absl::string_view what) {
  if (errno == EAGAIN || errno == EWOULDBLOCK) {
    return absl::DeadlineExceededError(absl::StrCat(what, ": timed out"));
  }
  return absl::ErrnoToStatus(errno, what);
}

// A connected socket to the first address of `host`:`port` that accepts.
absl::StatusOr<int> Dial(const std::string& host, int port,
                         absl::Duration timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* addresses = nullptr;
  int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints,
                       &addresses);
  if (rc != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot resolve ", host, ": ", gai_strerror(rc)));
  }
  timeval tv = absl::ToTimeval(timeout);
  int fd = -1;
  for (addrinfo* a = addresses; a != nullptr && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(addresses);
  if (fd < 0) {
    return SocketError(absl::StrCat("cannot connect to ", host, ":", port));
  }
  return fd;
}

bool HasNoBody(int status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpConnection>> HttpConnection::Connect(
    const std::string& host, int port, absl::Duration timeout) {
  ASSIGN_OR_RETURN(int fd, Dial(host, port, timeout));
  return std::unique_ptr<HttpConnection>(
      new HttpConnection(fd, absl::StrCat(host, ":", port)));
}

HttpConnection::~HttpConnection() { close(fd_); }

absl::StatusOr<HttpResponse> HttpConnection::Send(
    absl::string_view method, absl::string_view target, absl::string_view body,
    absl::string_view content_type, absl::string_view extra_headers) {
  std::string request =
      absl::StrCat(method, " ", target, " HTTP/1.1\r\nHost: ", host_, "\r\n");
  if (!body.empty() || (method != "GET" && method != "HEAD")) {
    absl::StrAppend(&request, "Content-Length: ", body.size(), "\r\n");
  }
  if (!content_type.empty()) {
    absl::StrAppend(&request, "Content-Type: ", content_type, "\r\n");
  }
  absl::StrAppend(&request, extra_headers, "\r\n", body);
  RETURN_IF_ERROR(SendRaw(request));
  for (;;) {
    ASSIGN_OR_RETURN(HttpResponse response, ReadResponse());
    if (response.status >= 200) return response;
  }
}

absl::Status HttpConnection::SendRaw(absl::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return SocketError("send");
    bytes.remove_prefix(n);
  }
  return absl::OkStatus();
}

absl::StatusOr<HttpResponse> HttpConnection::ReadResponse() {
  ASSIGN_OR_RETURN(std::string status_line, ReadLine());
  std::vector<absl::string_view> parts =
      absl::StrSplit(status_line, absl::MaxSplits(' ', 2));
  HttpResponse response;
  if (parts.size() < 2 || !absl::StartsWith(parts[0], "HTTP/") ||
      !absl::SimpleAtoi(parts[1], &response.status)) {
    return absl::DataLossError(absl::StrCat("bad status line: ", status_line));
  }
  for (;;) {
    ASSIGN_OR_RETURN(std::string line, ReadLine());
    if (line.empty()) break;
    std::pair<absl::string_view, absl::string_view> field =
        absl::StrSplit(line, absl::MaxSplits(':', 1));
    response.headers.emplace_back(
        std::string(field.first),
        std::string(absl::StripAsciiWhitespace(field.second)));
  }
  const std::string* content_type = response.FindHeader("Content-Type");
  response.content_type = content_type ? *content_type : "";
  RETURN_IF_ERROR(ReadBody(&response));
  return response;
}

bool HttpConnection::PeerClosed() {
  if (!buffer_.empty()) return false;
  if (eof_) return true;
  return absl::IsOutOfRange(ReadMore());
}

absl::Status HttpConnection::ReadMore() {
  if (eof_) return absl::OutOfRangeError("connection closed by server");
  char chunk[16 * 1024];
  ssize_t n;
  do {
    n = recv(fd_, chunk, sizeof(chunk), 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return SocketError("recv");
  if (n == 0) {
    eof_ = true;
    return absl::OutOfRangeError("connection closed by server");
  }
  buffer_.append(chunk, n);
  return absl::OkStatus();
}

absl::StatusOr<std::string> HttpConnection::ReadLine() {
  size_t end;
  while ((end = buffer_.find("\r\n")) == std::string::npos) {
    RETURN_IF_ERROR(ReadMore());
  }
  std::string line = buffer_.substr(0, end);
  buffer_.erase(0, end + 2);
  return line;
}

absl::Status HttpConnection::ReadExactly(size_t n, std::string* out) {
  while (buffer_.size() < n) RETURN_IF_ERROR(ReadMore());
  out->append(buffer_, 0, n);
  buffer_.erase(0, n);
  return absl::OkStatus();
}

absl::Status HttpConnection::ReadChunked(std::string* out) {
  for (;;) {
    ASSIGN_OR_RETURN(std::string line, ReadLine());
    uint64_t size;
    std::string hex(absl::StripAsciiWhitespace(line.substr(0, line.find(';'))));
    if (!absl::SimpleHexAtoi(hex, &size)) {
      return absl::DataLossError(absl::StrCat("bad chunk size: ", line));
    }
    if (size == 0) break;
    RETURN_IF_ERROR(ReadExactly(size, out));
    ASSIGN_OR_RETURN(std::string crlf, ReadLine());
  }
  for (;;) {  // trailer fields up to the empty line
    ASSIGN_OR_RETURN(std::string trailer, ReadLine());
    if (trailer.empty()) return absl::OkStatus();
  }
}

absl::Status HttpConnection::ReadBody(HttpResponse* response) {
  if (HasNoBody(response->status)) return absl::OkStatus();
  const std::string* coding = response->FindHeader("Transfer-Encoding");
  if (coding != nullptr &&
      absl::StrContains(absl::AsciiStrToLower(*coding), "chunked")) {
    return ReadChunked(&response->body);
  }
  if (const std::string* length = response->FindHeader("Content-Length")) {
    size_t n;
    if (!absl::SimpleAtoi(*length, &n)) {
      return absl::DataLossError(absl::StrCat("bad Content-Length: ", *length));
    }
    return ReadExactly(n, &response->body);
  }
  absl::Status status;
  while ((status = ReadMore()).ok()) {
  }
  if (!absl::IsOutOfRange(status)) return status;
  response->body = std::move(buffer_);
  buffer_.clear();
  return absl::OkStatus();
}

absl::StatusOr<HttpResponse> HttpGet(const std::string& host, int port,
                                     const std::string& target) {
  ASSIGN_OR_RETURN(auto connection, HttpConnection::Connect(host, port));
  return connection->Send("GET", target, "", "", "Connection: close\r\n");
}

absl::StatusOr<HttpResponse> HttpPost(const std::string& host, int port,
                                      const std::string& path,
                                      absl::string_view body,
                                      absl::string_view content_type) {
  ASSIGN_OR_RETURN(auto connection, HttpConnection::Connect(host, port));
  return connection->Send("POST", path, body, content_type,
                          "Connection: close\r\n");
}

}  // namespace kepler::model::gateway::testing
