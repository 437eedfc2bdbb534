// Fuzzes the built-in plain-HTTP client's parsing of what servers send back
// (core/internal/http_response_reader.h) and of redirect targets
// (core/internal/http_url.h): model databases, Prometheus and the model server are other
// processes, and model downloads may come from untrusted hosts.
//
// Input: byte 0 picks the body limit, byte 1 the read size of the third pass; the rest is the
// byte stream a server sends.
// Invariants:
// - ReadHttpResponse never crashes or hangs; errors are Unavailable or ResourceExhausted.
// - An accepted response is a final one (status 200-599 or a 2-digit-more code >= 200) whose
//   body fits the limit.
// - The outcome does not depend on how the stream is split into reads: the whole stream at
//   once, one byte at a time and fixed-size reads give the same status, headers and body (or
//   the same error code).
// - A Location header, resolved against an http URL, never crashes ParseHttpUrl, and a parsed
//   URL's request target starts with "/" and holds no space or control character.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/internal/http_response_reader.h"
#include "core/internal/http_url.h"
#include "fuzz/fuzz_check.h"

namespace {

using kepler::model::core::internal::ParsedHttpResponse;

absl::StatusOr<ParsedHttpResponse> Parse(absl::string_view stream, size_t read_size,
                                         size_t max_body) {
  size_t offset = 0;
  auto source = [&](char* data, size_t size) -> absl::StatusOr<size_t> {
    const size_t n = std::min({size, read_size, stream.size() - offset});
    std::memcpy(data, stream.data() + offset, n);
    offset += n;
    return n;
  };
  return kepler::model::core::internal::ReadHttpResponse(source, max_body);
}

bool Same(const absl::StatusOr<ParsedHttpResponse>& a,
          const absl::StatusOr<ParsedHttpResponse>& b) {
  if (a.ok() != b.ok()) return false;
  if (!a.ok()) return a.status().code() == b.status().code();
  return a->status == b->status && a->content_type == b->content_type &&
         a->location == b->location && a->body == b->body;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t max_body = data[0] * 7;
  const size_t read_size = 1 + data[1] % 64;
  const absl::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);

  const auto whole = Parse(stream, stream.size() + 1, max_body);
  if (!whole.ok()) {
    const absl::StatusCode code = whole.status().code();
    FUZZ_CHECK(code == absl::StatusCode::kUnavailable ||
                   code == absl::StatusCode::kResourceExhausted,
               "unexpected error code");
    FUZZ_CHECK(!whole.status().message().empty(), "empty error message");
  } else {
    FUZZ_CHECK(whole->status >= 200, "accepted an interim or invalid status");
    FUZZ_CHECK(whole->body.size() <= max_body, "body over the limit");
  }
  FUZZ_CHECK(Same(whole, Parse(stream, 1, max_body)), "one-byte reads differ");
  FUZZ_CHECK(Same(whole, Parse(stream, read_size, max_body)), "chunked reads differ");

  if (whole.ok() && !whole->location.empty()) {
    const std::string next =
        kepler::model::core::internal::ResolveLocation("http://models.example:8100/a/b?q",
                                                       whole->location);
    auto url = kepler::model::core::internal::ParseHttpUrl(next);
    if (url.ok()) {
      FUZZ_CHECK(!url->target.empty() && url->target[0] == '/', "target not absolute");
      for (char c : url->target) {
        FUZZ_CHECK(static_cast<unsigned char>(c) > 0x20 && c != 0x7f, "space or control in target");
      }
    }
  }
  return 0;
}
