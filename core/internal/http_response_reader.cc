#include "core/internal/http_response_reader.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "core/status_macros.h"

namespace kepler::model::core::internal {
namespace {

constexpr size_t kReadBytes = 16 << 10;

absl::Status Malformed(absl::string_view what) {
  return absl::UnavailableError(absl::StrCat("malformed response: ", what));
}

absl::Status TooLarge(size_t max_body_bytes) {
  return absl::ResourceExhaustedError(
      absl::StrCat("response larger than ", max_body_bytes, " bytes"));
}

// A response head, reduced to what the reader and the client need.
struct Head {
  long status = 0;
  std::string content_type;
  std::string location;
  std::optional<uint64_t> content_length;
  bool chunked = false;
};

// All digits in `base` (10 or 16); nullopt when empty, not digits, or so
// long it might overflow (15 digits is over a petabyte either way).
std::optional<uint64_t> ParseNumber(absl::string_view s, int base) {
  if (s.empty() || s.size() > 15) return std::nullopt;
  uint64_t value = 0;
  for (char c : s) {
    int digit = absl::ascii_isdigit(c) ? c - '0'
                : base == 16 && absl::ascii_isxdigit(c)
                    ? absl::ascii_tolower(c) - 'a' + 10
                    : -1;
    if (digit < 0) return std::nullopt;
    value = value * base + digit;
  }
  return value;
}

// "HTTP/1.1 200 OK" -> 200. The reason phrase is optional and ignored.
absl::StatusOr<long> ParseStatusLine(absl::string_view line) {
  bool shape = line.size() >= 12 && absl::StartsWith(line, "HTTP/1.") &&
               absl::ascii_isdigit(line[7]) && line[8] == ' ' &&
               (line.size() == 12 || line[12] == ' ');
  uint64_t code = shape ? ParseNumber(line.substr(9, 3), 10).value_or(0) : 0;
  if (code < 100 || code > 599) {
    return Malformed(absl::StrCat("bad status line \"",
                                  absl::CHexEscape(line.substr(0, 64)), "\""));
  }
  return static_cast<long>(code);
}

// Codings other than chunked were not asked for (we send no TE header).
absl::Status ApplyTransferEncoding(absl::string_view value, Head& head) {
  for (absl::string_view coding : absl::StrSplit(value, ',')) {
    coding = absl::StripAsciiWhitespace(coding);
    if (coding.empty() || absl::EqualsIgnoreCase(coding, "identity")) continue;
    if (head.chunked) return Malformed("transfer coding after chunked");
    if (!absl::EqualsIgnoreCase(coding, "chunked")) {
      return absl::UnavailableError(
          absl::StrCat("unsupported transfer coding \"",
                       absl::CHexEscape(coding.substr(0, 64)), "\""));
    }
    head.chunked = true;
  }
  return absl::OkStatus();
}

absl::Status ApplyHeader(absl::string_view line, Head& head) {
  if (line[0] == ' ' || line[0] == '\t') return absl::OkStatus();  // obs-fold
  size_t colon = line.find(':');
  absl::string_view name = line.substr(0, colon);
  if (colon == absl::string_view::npos || name.empty() ||
      name.find_first_of(" \t") != absl::string_view::npos) {
    return Malformed("header line without a name and ':'");
  }
  absl::string_view value = absl::StripAsciiWhitespace(line.substr(colon + 1));
  if (absl::EqualsIgnoreCase(name, "content-type")) {
    head.content_type = std::string(value);
  } else if (absl::EqualsIgnoreCase(name, "location")) {
    head.location = std::string(value);
  } else if (absl::EqualsIgnoreCase(name, "transfer-encoding")) {
    return ApplyTransferEncoding(value, head);
  } else if (absl::EqualsIgnoreCase(name, "content-length")) {
    std::optional<uint64_t> length = ParseNumber(value, 10);
    if (!length || (head.content_length && *head.content_length != *length)) {
      return Malformed("bad Content-Length");
    }
    head.content_length = length;
  }
  return absl::OkStatus();
}

// Buffers the source and hands out lines and body bytes. The buffer holds
// at most one line (kMaxLineBytes) plus one read (kReadBytes).
class Reader {
 public:
  Reader(ResponseSource source, size_t max_body)
      : source_(source), max_body_(max_body) {}

  absl::StatusOr<ParsedHttpResponse> Read() {
    ASSIGN_OR_RETURN(Head head, ReadFinalHead());
    ParsedHttpResponse out;
    out.status = head.status;
    out.content_type = std::move(head.content_type);
    out.location = std::move(head.location);
    if (head.status == 204 || head.status == 304) return out;  // No body.
    if (head.chunked) {
      RETURN_IF_ERROR(ReadChunked(out.body));
    } else if (head.content_length) {
      RETURN_IF_ERROR(ReadFixed(*head.content_length, out.body));
    } else {
      RETURN_IF_ERROR(ReadToEnd(out.body));
    }
    return out;
  }

 private:
  absl::Status Fill();
  // The next line without its "\r\n" (or "\n"); valid until the next call.
  // Lines of the header section and trailers count against kMaxHeaderBytes.
  absl::StatusOr<absl::string_view> NextLine(bool header);
  absl::Status Truncated(bool header) const;
  absl::StatusOr<Head> ReadHead();
  absl::StatusOr<Head> ReadFinalHead();
  absl::Status Take(uint64_t n, std::string& body);
  absl::Status ReadFixed(uint64_t n, std::string& body);
  absl::Status ReadChunked(std::string& body);
  absl::Status ReadToEnd(std::string& body);

  ResponseSource source_;
  const size_t max_body_;
  std::string buffer_;
  size_t pos_ = 0;  // Start of the unconsumed bytes in buffer_.
  bool eof_ = false;
  bool received_any_ = false;
  size_t header_bytes_ = 0;
};

absl::Status Reader::Fill() {
  buffer_.erase(0, pos_);
  pos_ = 0;
  size_t old = buffer_.size();
  buffer_.resize(old + kReadBytes);
  absl::StatusOr<size_t> n = source_(&buffer_[old], kReadBytes);
  size_t got = n.ok() ? std::min(*n, kReadBytes) : 0;
  buffer_.resize(old + got);
  if (!n.ok()) return n.status();
  eof_ = got == 0;
  received_any_ = received_any_ || got > 0;
  return absl::OkStatus();
}

absl::Status Reader::Truncated(bool header) const {
  if (!received_any_) return absl::UnavailableError("empty reply from server");
  return absl::UnavailableError(
      header ? "connection closed in the response header section"
             : "connection closed in the chunked body");
}

absl::StatusOr<absl::string_view> Reader::NextLine(bool header) {
  size_t scanned = pos_;
  for (;;) {
    size_t newline = buffer_.find('\n', scanned);
    size_t end = newline == std::string::npos ? buffer_.size() : newline + 1;
    size_t length = end - pos_;
    if (length > kMaxLineBytes) {
      return absl::UnavailableError(
          absl::StrCat("response line longer than ", kMaxLineBytes, " bytes"));
    }
    if (header && header_bytes_ + length > kMaxHeaderBytes) {
      return absl::UnavailableError(absl::StrCat(
          "response header section larger than ", kMaxHeaderBytes, " bytes"));
    }
    if (newline != std::string::npos) {
      if (header) header_bytes_ += length;
      absl::string_view line(buffer_.data() + pos_, newline - pos_);
      pos_ = newline + 1;
      return absl::StripSuffix(line, "\r");
    }
    if (eof_) return Truncated(header);
    size_t pending = buffer_.size() - pos_;
    RETURN_IF_ERROR(Fill());  // Moves the pending bytes to the front.
    scanned = pending;
  }
}

absl::StatusOr<Head> Reader::ReadHead() {
  Head head;
  ASSIGN_OR_RETURN(absl::string_view status_line, NextLine(true));
  ASSIGN_OR_RETURN(head.status, ParseStatusLine(status_line));
  for (;;) {
    ASSIGN_OR_RETURN(absl::string_view line, NextLine(true));
    if (line.empty()) return head;
    RETURN_IF_ERROR(ApplyHeader(line, head));
  }
}

// 1xx responses (100 Continue, 103 Early Hints) precede the real one; the
// shared header budget bounds how many a server can send.
absl::StatusOr<Head> Reader::ReadFinalHead() {
  for (;;) {
    ASSIGN_OR_RETURN(Head head, ReadHead());
    if (head.status >= 200) return head;
  }
}

absl::Status Reader::Take(uint64_t n, std::string& body) {
  while (n > 0) {
    if (pos_ == buffer_.size()) {
      if (eof_) {
        return absl::UnavailableError(absl::StrCat(
            "connection closed ", n, " bytes before the end of the body"));
      }
      RETURN_IF_ERROR(Fill());
      continue;
    }
    size_t k = static_cast<size_t>(std::min<uint64_t>(n, buffer_.size() - pos_));
    body.append(buffer_, pos_, k);
    pos_ += k;
    n -= k;
  }
  return absl::OkStatus();
}

absl::Status Reader::ReadFixed(uint64_t n, std::string& body) {
  if (n > max_body_) return TooLarge(max_body_);
  // Not the claimed length at once: a server may claim 512 MiB and send nothing.
  body.reserve(static_cast<size_t>(std::min<uint64_t>(n, uint64_t{1} << 20)));
  return Take(n, body);
}

absl::Status Reader::ReadChunked(std::string& body) {
  for (;;) {
    ASSIGN_OR_RETURN(absl::string_view line, NextLine(false));
    absl::string_view digits =
        absl::StripAsciiWhitespace(line.substr(0, line.find(';')));
    std::optional<uint64_t> size = ParseNumber(digits, 16);
    if (!size) return Malformed("bad chunk size line");
    if (*size == 0) break;
    if (*size > max_body_ - body.size()) return TooLarge(max_body_);
    RETURN_IF_ERROR(Take(*size, body));
    ASSIGN_OR_RETURN(absl::string_view end, NextLine(false));
    if (!end.empty()) return Malformed("chunk data not followed by CRLF");
  }
  for (;;) {  // Trailer fields, up to the empty line; ignored.
    ASSIGN_OR_RETURN(absl::string_view trailer, NextLine(true));
    if (trailer.empty()) return absl::OkStatus();
  }
}

absl::Status Reader::ReadToEnd(std::string& body) {
  for (;;) {
    size_t k = buffer_.size() - pos_;
    if (k > max_body_ - body.size()) return TooLarge(max_body_);
    body.append(buffer_, pos_, k);
    pos_ += k;
    if (eof_) return absl::OkStatus();
    RETURN_IF_ERROR(Fill());
  }
}

}  // namespace

absl::StatusOr<ParsedHttpResponse> ReadHttpResponse(ResponseSource source,
                                                    size_t max_body_bytes) {
  return Reader(source, max_body_bytes).Read();
}

}  // namespace kepler::model::core::internal
