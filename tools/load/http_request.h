// The raw bytes of the HTTP/1.1 request a load driver sends.
//
// What: formats one keep-alive HTTP/1.1 request (request line, Host,
// Content-Type and Content-Length when there is a body, the body).
// Why: the driver sends identical bytes on every request; formatting them once
// keeps the load loop free of per-request work.
// How to use:
//   std::string bytes = HttpRequestBytes("POST", "/model", "127.0.0.1:8100", body);
//
// Thread-safety: a pure function.
#ifndef KEPLER_TOOLS_LOAD_HTTP_REQUEST_H_
#define KEPLER_TOOLS_LOAD_HTTP_REQUEST_H_

#include <string>

#include "absl/strings/string_view.h"

namespace kepler::model::tools {

// `method target HTTP/1.1` with Host `host`; a non-empty `body` (or any
// method but GET and HEAD) adds Content-Length, and Content-Type
// `content_type` unless that is empty.
std::string HttpRequestBytes(absl::string_view method, absl::string_view target,
                             absl::string_view host, absl::string_view body,
                             absl::string_view content_type = "application/json");

}  // namespace kepler::model::tools

#endif  // KEPLER_TOOLS_LOAD_HTTP_REQUEST_H_
