// Reads one HTTP/1.x response from a byte stream: the parsing half of the
// built-in plain-HTTP client (plain_http.h).
//
// What: the status line and headers (1xx interim responses skipped), then the
// body framed by Content-Length, by `Transfer-Encoding: chunked` (extensions
// and trailers accepted and ignored) or by the end of the stream.
// Why: responses come from other processes and, for model downloads, from
// untrusted servers; every size is bounded while bytes arrive, so a hostile
// or broken server cannot make the reader buffer more than the body limit
// plus one read buffer. Kept apart from the sockets so it stays small.
// How: pass a source that reads from the socket (with its own deadline):
//
//   auto read = [&](char* data, size_t size) { return RecvSome(fd, data, size); };
//   ASSIGN_OR_RETURN(ParsedHttpResponse r, ReadHttpResponse(read, max_bytes));
//
// Errors: Unavailable for malformed responses ("malformed response: ..."),
// a header section over kMaxHeaderBytes, a line over kMaxLineBytes or a
// stream ending early; ResourceExhausted when the body exceeds the limit
// (detected from Content-Length or chunk sizes before reading the bytes);
// errors of the source are returned unchanged. Messages do not name the URL:
// the caller adds it.
//
// Thread-safety: ReadHttpResponse is reentrant; `source` is called from the
// calling thread only.
#ifndef KEPLER_CORE_INTERNAL_HTTP_RESPONSE_READER_H_
#define KEPLER_CORE_INTERNAL_HTTP_RESPONSE_READER_H_

#include <cstddef>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"

namespace kepler::model::core::internal {

// Most bytes of the status line and headers, interim responses and chunked
// trailers included.
inline constexpr size_t kMaxHeaderBytes = 64 << 10;
// Most bytes of one line (status, header, chunk size or trailer).
inline constexpr size_t kMaxLineBytes = 8 << 10;

// Reads up to `size` bytes into `data`; returns how many, 0 at end of stream.
using ResponseSource = absl::FunctionRef<absl::StatusOr<size_t>(char*, size_t)>;

// The parts of a final (non-1xx) response the HTTP client uses.
struct ParsedHttpResponse {
  long status = 0;
  // Content-Type and Location header values, empty when absent.
  std::string content_type;
  std::string location;
  // The decoded body (chunk framing removed).
  std::string body;
};

// Reads one response from `source`, accepting at most `max_body_bytes` of
// body. Anything the server sends after the response is ignored.
[[nodiscard]] absl::StatusOr<ParsedHttpResponse> ReadHttpResponse(
    ResponseSource source, size_t max_body_bytes);

}  // namespace kepler::model::core::internal

#endif  // KEPLER_CORE_INTERNAL_HTTP_RESPONSE_READER_H_
