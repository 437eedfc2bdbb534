#include "core/http_client.h"

#include <curl/curl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/file_util.h"
#include "core/status_macros.h"
#include "core/version.h"

namespace kepler::model::core {

HttpClient::~HttpClient() = default;

namespace {

constexpr long kMaxRedirects = 5;

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

// One request as Perform sees it. `body` is null for GET.
struct Request {
  absl::string_view method;
  const std::string& url;
  const std::string* body;
  const std::string* content_type;
  const FetchOptions& options;
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

// libcurl's global state is initialised once; since 7.84 this is thread-safe
// anyway, and the function-local static makes it so on older versions too.
CURLcode GlobalInit() {
  static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  return rc;
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
    case CURLE_FILE_COULDNT_READ_FILE:
      return absl::StatusCode::kNotFound;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return absl::StatusCode::kInvalidArgument;
    case CURLE_TOO_MANY_REDIRECTS:
      return absl::StatusCode::kFailedPrecondition;
    default:  // Connection refused, DNS, reset, TLS, ...: the far end.
      return absl::StatusCode::kUnavailable;
  }
}

absl::Status TransferError(const Request& req, CURLcode rc, const char* detail,
                           const Sink& sink) {
  std::string prefix = absl::StrCat(req.method, " ", req.url, ": ");
  if (sink.overflow || rc == CURLE_FILESIZE_EXCEEDED) {
    return absl::ResourceExhaustedError(absl::StrCat(
        prefix, "response larger than ", req.options.max_bytes, " bytes"));
  }
  absl::string_view what = detail[0] != '\0' ? detail : curl_easy_strerror(rc);
  return absl::Status(CodeFor(rc), absl::StrCat(prefix, what));
}

// Applies every option of `req`; returns the first option libcurl refused.
CURLcode Configure(CURL* h, const Request& req, Sink* sink, char* error_buffer,
                   curl_slist* headers) {
  CURLcode rc = CURLE_OK;
  auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(h, option, value);
  };
  static const std::string agent = absl::StrCat("kepler-model/", kVersion);
  bool post = req.body != nullptr;
  set(CURLOPT_URL, req.url.c_str());
  set(CURLOPT_NOSIGNAL, 1L);  // No SIGALRM for DNS timeouts: thread-safe.
  set(CURLOPT_ERRORBUFFER, error_buffer);
  set(CURLOPT_USERAGENT, agent.c_str());
  set(CURLOPT_PROTOCOLS_STR, post ? "http,https" : "http,https,file");
  set(CURLOPT_FOLLOWLOCATION, post ? 0L : 1L);
  set(CURLOPT_MAXREDIRS, kMaxRedirects);
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
SlistPtr PostHeaders(const Request& req) {
  if (req.body == nullptr) return nullptr;
  std::string type = absl::StrCat("Content-Type: ", *req.content_type);
  curl_slist* list = curl_slist_append(nullptr, type.c_str());
  if (list == nullptr) return nullptr;
  curl_slist* with_expect = curl_slist_append(list, "Expect:");
  if (with_expect == nullptr) {
    curl_slist_free_all(list);
    return nullptr;
  }
  return SlistPtr(with_expect);
}

HttpResult Collect(CURL* h, absl::string_view scheme, Sink& sink) {
  HttpResult result;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &result.status);
  if (scheme == "file" && result.status == 0) result.status = 200;
  char* type = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK &&
      type != nullptr) {
    result.content_type = type;
  }
  result.body = std::move(sink.body);
  return result;
}

absl::StatusOr<HttpResult> Perform(const Request& req) {
  std::string prefix = absl::StrCat(req.method, " ", req.url, ": ");
  if (CURLcode rc = GlobalInit(); rc != CURLE_OK) {
    return absl::InternalError(absl::StrCat(prefix, curl_easy_strerror(rc)));
  }
  EasyPtr easy(curl_easy_init());
  SlistPtr headers = PostHeaders(req);
  if (easy == nullptr || (req.body != nullptr && headers == nullptr)) {
    return absl::ResourceExhaustedError(prefix + "cannot allocate a request");
  }
  Sink sink;
  sink.max_bytes = req.options.max_bytes;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  CURLcode rc =
      Configure(easy.get(), req, &sink, error_buffer, headers.get());
  if (rc == CURLE_OK) rc = curl_easy_perform(easy.get());
  if (rc != CURLE_OK) return TransferError(req, rc, error_buffer, sink);
  return Collect(easy.get(), SchemeOf(req.url), sink);
}

// A plain path: read from disk, checking the size before reading it all.
absl::StatusOr<HttpResult> ReadLocalFile(const std::string& path,
                                         const FetchOptions& options) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("GET ", path));
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat("GET ", path, ": not a regular file"));
  }
  auto too_big = [&](uint64_t size) { return size > options.max_bytes; };
  absl::Status exhausted = absl::ResourceExhaustedError(absl::StrCat(
      "GET ", path, ": file larger than ", options.max_bytes, " bytes"));
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
    if (scheme.empty()) return ReadLocalFile(url, options);
    if (scheme != "http" && scheme != "https" && scheme != "file") {
      return absl::InvalidArgumentError(
          absl::StrCat("GET ", url, ": unsupported scheme '", scheme, "'"));
    }
    return Perform(Request{"GET", url, nullptr, nullptr, options});
  }

  absl::StatusOr<HttpResult> Post(const std::string& url, std::string body,
                                  std::string content_type,
                                  const FetchOptions& options) override {
    std::string scheme = SchemeOf(url);
    if (scheme != "http" && scheme != "https") {
      return absl::InvalidArgumentError(
          absl::StrCat("POST ", url, ": only http and https can be posted to"));
    }
    return Perform(Request{"POST", url, &body, &content_type, options});
  }
};

}  // namespace

std::unique_ptr<HttpClient> NewCurlHttpClient() {
  GlobalInit();
  return std::make_unique<CurlHttpClient>();
}

}  // namespace kepler::model::core
