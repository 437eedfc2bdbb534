#include "tools/load/http_request.h"

#include "absl/strings/str_cat.h"

namespace kepler::model::tools {

std::string HttpRequestBytes(absl::string_view method, absl::string_view target,
                             absl::string_view host, absl::string_view body,
                             absl::string_view content_type) {
  std::string bytes = absl::StrCat(method, " ", target, " HTTP/1.1\r\nHost: ", host, "\r\n");
  if (!body.empty() || (method != "GET" && method != "HEAD")) {
    if (!content_type.empty()) absl::StrAppend(&bytes, "Content-Type: ", content_type, "\r\n");
    absl::StrAppend(&bytes, "Content-Length: ", body.size(), "\r\n");
  }
  absl::StrAppend(&bytes, "\r\n", body);
  return bytes;
}

}  // namespace kepler::model::tools
