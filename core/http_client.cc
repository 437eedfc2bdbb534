#include "core/http_client.h"

#include <curl/curl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/file_util.h"
#include "core/internal/curl_library.h"
#include "core/internal/plain_http.h"
#include "core/status_macros.h"
#include "core/version.h"

namespace kepler::model::core {

HttpClient::~HttpClient() = default;

absl::StatusOr<std::string> OkBody(absl::StatusOr<HttpResult> response) {
  if (!response.ok()) return response.status();
  if (response->status == 404) return absl::NotFoundError("HTTP 404");
  if (response->status != 200) {
    return absl::UnavailableError(absl::StrCat("HTTP ", response->status));
  }
  return std::move(response->body);
}

namespace {

using internal::CurlLibrary;

constexpr long kMaxRedirects = 5;

// Deleters are the loaded library's cleanup functions.
using EasyPtr = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using SlistPtr = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

// One request as Perform sees it. `body` is null for GET.
struct Request {
  absl::string_view method;
  const std::string& url;
  const std::string* body;
  const std::string* content_type;
  const FetchOptions& options;
  long max_redirects = kMaxRedirects;
  // What error messages name, when not `url` (a redirect's origin).
  std::string label = "";
};

// Collects the body, refusing to grow past `max_bytes`.
struct Sink {
  std::string body;
  size_t max_bytes = 0;
  bool overflow = false;
};

size_t WriteToSink(char* data, size_t size, size_t count, void* user) {
  Sink* sink = static_cast<Sink*>(user);
  size_t n = size * count;
  if (n > sink->max_bytes - sink->body.size()) {
    sink->overflow = true;
    return 0;  // Anything but n makes libcurl abort with CURLE_WRITE_ERROR.
  }
  sink->body.append(data, n);
  return n;
}

// libcurl reads 0 as "no limit", so a zero or negative duration becomes 1 ms
// and only an infinite one means unlimited.
long CurlMillis(absl::Duration d) {
  if (d == absl::InfiniteDuration()) return 0;
  return static_cast<long>(std::max<int64_t>(1, absl::ToInt64Milliseconds(d)));
}

// The lower-cased scheme of `url`, or "" when it has none (a local path).
std::string SchemeOf(absl::string_view url) {
  size_t pos = url.find("://");
  if (pos == absl::string_view::npos) return "";
  return absl::AsciiStrToLower(url.substr(0, pos));
}

absl::StatusCode CodeFor(CURLcode rc) {
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return absl::StatusCode::kDeadlineExceeded;
    case CURLE_FILESIZE_EXCEEDED:
    case CURLE_OUT_OF_MEMORY:
      return absl::StatusCode::kResourceExhausted;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return absl::StatusCode::kInvalidArgument;
    case CURLE_TOO_MANY_REDIRECTS:
      return absl::StatusCode::kFailedPrecondition;
    default:  // Connection refused, DNS, reset, TLS, ...: the far end.
      return absl::StatusCode::kUnavailable;
  }
}

// "<method> <url or label>: ", the start of every error message.
std::string ErrorPrefix(const Request& req) {
  return absl::StrCat(req.method, " ", req.label.empty() ? req.url : req.label,
                      ": ");
}

absl::Status TransferError(const CurlLibrary& curl, const Request& req,
                           CURLcode rc, const char* detail, const Sink& sink) {
  std::string prefix = ErrorPrefix(req);
  if (sink.overflow || rc == CURLE_FILESIZE_EXCEEDED) {
    return absl::ResourceExhaustedError(absl::StrCat(
        prefix, "response larger than ", req.options.max_bytes, " bytes"));
  }
  absl::string_view what = detail[0] != '\0' ? detail : curl.easy_strerror(rc);
  return absl::Status(CodeFor(rc), absl::StrCat(prefix, what));
}

// Applies every option of `req`; returns the first option libcurl refused.
CURLcode Configure(const CurlLibrary& curl, CURL* h, const Request& req,
                   Sink* sink, char* error_buffer, curl_slist* headers) {
  CURLcode rc = CURLE_OK;
  auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl.easy_setopt(h, option, value);
  };
  static const std::string agent = absl::StrCat("kepler-model/", kVersion);
  bool post = req.body != nullptr;
  set(CURLOPT_URL, req.url.c_str());
  set(CURLOPT_NOSIGNAL, 1L);  // No SIGALRM for DNS timeouts: thread-safe.
  set(CURLOPT_ERRORBUFFER, error_buffer);
  set(CURLOPT_USERAGENT, agent.c_str());
  set(CURLOPT_PROTOCOLS_STR, "http,https");  // file:// never reaches curl.
  set(CURLOPT_FOLLOWLOCATION, post ? 0L : 1L);
  set(CURLOPT_MAXREDIRS, req.max_redirects);
  set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");  // Never a redirect to file.
  set(CURLOPT_TIMEOUT_MS, CurlMillis(req.options.timeout));
  set(CURLOPT_CONNECTTIMEOUT_MS, CurlMillis(req.options.connect_timeout));
  set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(req.options.max_bytes));
  set(CURLOPT_SSL_VERIFYPEER, req.options.verify_tls ? 1L : 0L);
  set(CURLOPT_SSL_VERIFYHOST, req.options.verify_tls ? 2L : 0L);
  set(CURLOPT_WRITEFUNCTION, &WriteToSink);
  set(CURLOPT_WRITEDATA, static_cast<void*>(sink));
  if (post) {
    set(CURLOPT_POST, 1L);
    set(CURLOPT_POSTFIELDS, req.body->data());
    set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body->size()));
    set(CURLOPT_HTTPHEADER, headers);
  }
  return rc;
}

// Builds the POST headers; "Expect:" stops libcurl waiting for a
// 100-continue that simple servers never send.
SlistPtr PostHeaders(const CurlLibrary& curl, const Request& req) {
  SlistPtr none(nullptr, curl.slist_free_all);
  if (req.body == nullptr) return none;
  std::string type = absl::StrCat("Content-Type: ", *req.content_type);
  curl_slist* list = curl.slist_append(nullptr, type.c_str());
  if (list == nullptr) return none;
  curl_slist* with_expect = curl.slist_append(list, "Expect:");
  if (with_expect == nullptr) {
    curl.slist_free_all(list);
    return none;
  }
  return SlistPtr(with_expect, curl.slist_free_all);
}

HttpResult Collect(const CurlLibrary& curl, CURL* h, Sink& sink) {
  HttpResult result;
  curl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &result.status);
  char* type = nullptr;
  if (curl.easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK &&
      type != nullptr) {
    result.content_type = type;
  }
  result.body = std::move(sink.body);
  return result;
}

// An https request; the first one loads libcurl into the process.
absl::StatusOr<HttpResult> Perform(const Request& req) {
  std::string prefix = ErrorPrefix(req);
  absl::StatusOr<const CurlLibrary*> loaded = internal::GetCurlLibrary();
  if (!loaded.ok()) {
    return absl::Status(loaded.status().code(),
                        prefix + std::string(loaded.status().message()));
  }
  const CurlLibrary& curl = **loaded;
  EasyPtr easy(curl.easy_init(), curl.easy_cleanup);
  SlistPtr headers = PostHeaders(curl, req);
  if (easy == nullptr || (req.body != nullptr && headers == nullptr)) {
    return absl::ResourceExhaustedError(prefix + "cannot allocate a request");
  }
  Sink sink;
  sink.max_bytes = req.options.max_bytes;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  CURLcode rc =
      Configure(curl, easy.get(), req, &sink, error_buffer, headers.get());
  if (rc == CURLE_OK) rc = curl.easy_perform(easy.get());
  if (rc != CURLE_OK) return TransferError(curl, req, rc, error_buffer, sink);
  return Collect(curl, easy.get(), sink);
}

// At least 1 ms, as libcurl reads a non-positive limit (CurlMillis).
absl::Duration AtLeast1ms(absl::Duration d) {
  return std::max(d, absl::Milliseconds(1));
}

// A GET that an http URL redirected to https: the rest of the chain, within
// what is left of the time and redirect budget, goes through libcurl.
absl::StatusOr<HttpResult> ContinueOverTls(const Request& req, absl::Time deadline,
                                           const internal::PlainHttpResponse& got) {
  FetchOptions rest = req.options;
  rest.timeout = AtLeast1ms(deadline - absl::Now());
  Request next{"GET", got.https_location, nullptr, nullptr, rest};
  next.max_redirects = got.redirects_left;
  next.label = absl::StrCat(req.url, " (redirected to ", got.https_location, ")");
  return Perform(next);
}

// A plain http request, served by the built-in client: no libcurl, and so
// none of its TLS, Kerberos and LDAP dependencies, unless a redirect leads
// to https.
absl::StatusOr<HttpResult> PerformPlain(const Request& req) {
  internal::PlainHttpRequest plain;
  plain.method = std::string(req.method);
  plain.url = req.url;
  if (req.body != nullptr) {
    plain.body = *req.body;
    plain.content_type = *req.content_type;
  }
  plain.deadline = absl::Now() + AtLeast1ms(req.options.timeout);
  plain.connect_timeout = AtLeast1ms(req.options.connect_timeout);
  plain.max_bytes = req.options.max_bytes;
  plain.max_redirects = static_cast<int>(req.max_redirects);
  ASSIGN_OR_RETURN(internal::PlainHttpResponse got, internal::PlainHttpFetch(plain));
  if (!got.https_location.empty()) return ContinueOverTls(req, plain.deadline, got);
  HttpResult result;
  result.status = got.status;
  result.content_type = std::move(got.content_type);
  result.body = std::move(got.body);
  return result;
}

// Whether plain http must go through a proxy; libcurl implements proxies (and no_proxy), the
// built-in client does not, so then curl carries http too.
bool HttpProxyConfigured() {
  static const bool configured = [] {
    for (const char* name : {"http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"}) {
      const char* value = std::getenv(name);
      if (value != nullptr && value[0] != '\0') return true;
    }
    return false;
  }();
  return configured;
}

// http:// and https:// (any case) to their clients; `scheme` is lower-cased.
absl::StatusOr<HttpResult> Route(const std::string& scheme, const Request& req) {
  return scheme == "http" && !HttpProxyConfigured() ? PerformPlain(req) : Perform(req);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// Decodes %XX escapes; a '%' not followed by two hex digits stays literal.
std::string PercentDecode(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    int hi = i + 2 < s.size() ? HexDigit(s[i + 1]) : -1;
    int lo = hi >= 0 ? HexDigit(s[i + 2]) : -1;
    if (s[i] != '%' || lo < 0) {
      out.push_back(s[i]);
      continue;
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

// The path a file:// URL names, read as libcurl did before it was loaded
// lazily: host empty, localhost or 127.0.0.1; ?query and #fragment ignored.
absl::StatusOr<std::string> FileUrlPath(const std::string& url) {
  absl::string_view rest = absl::string_view(url).substr(url.find("://") + 3);
  rest = rest.substr(0, rest.find_first_of("?#"));
  size_t slash = rest.find('/');
  absl::string_view host = rest.substr(0, slash);
  bool local_host = host.empty() || absl::EqualsIgnoreCase(host, "localhost") ||
                    host == "127.0.0.1";
  std::string path = PercentDecode(rest.substr(std::min(slash, rest.size())));
  if (slash == absl::string_view::npos || !local_host ||
      path.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "GET ", url, ": a file URL must name an absolute path on this host"));
  }
  return path;
}

// Reads a local file, checking the size before reading it all; `url` is the
// name errors give.
absl::StatusOr<HttpResult> ReadLocalFile(const std::string& url,
                                         const std::string& path,
                                         const FetchOptions& options) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("GET ", url));
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat("GET ", url, ": not a regular file"));
  }
  auto too_big = [&](uint64_t size) { return size > options.max_bytes; };
  absl::Status exhausted = absl::ResourceExhaustedError(absl::StrCat(
      "GET ", url, ": file larger than ", options.max_bytes, " bytes"));
  if (too_big(static_cast<uint64_t>(st.st_size))) return exhausted;
  HttpResult result;
  result.status = 200;
  ASSIGN_OR_RETURN(result.body, ReadFile(path));
  if (too_big(result.body.size())) return exhausted;  // It grew meanwhile.
  return result;
}

class CurlHttpClient final : public HttpClient {
 public:
  absl::StatusOr<HttpResult> Get(const std::string& url,
                                 const FetchOptions& options) override {
    std::string scheme = SchemeOf(url);
    if (scheme.empty()) return ReadLocalFile(url, url, options);
    if (scheme == "file") {
      ASSIGN_OR_RETURN(std::string path, FileUrlPath(url));
      return ReadLocalFile(url, path, options);
    }
    if (scheme != "http" && scheme != "https") {
      return absl::InvalidArgumentError(
          absl::StrCat("GET ", url, ": unsupported scheme '", scheme, "'"));
    }
    return Route(scheme, Request{"GET", url, nullptr, nullptr, options});
  }

  absl::StatusOr<HttpResult> Post(const std::string& url, std::string body,
                                  std::string content_type,
                                  const FetchOptions& options) override {
    std::string scheme = SchemeOf(url);
    if (scheme != "http" && scheme != "https") {
      return absl::InvalidArgumentError(
          absl::StrCat("POST ", url, ": only http and https can be posted to"));
    }
    return Route(scheme, Request{"POST", url, &body, &content_type, options});
  }
};

}  // namespace

std::unique_ptr<HttpClient> NewCurlHttpClient() {
  return std::make_unique<CurlHttpClient>();
}

}  // namespace kepler::model::core
