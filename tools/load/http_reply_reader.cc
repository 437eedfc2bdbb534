#include "tools/load/http_reply_reader.h"

#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace kepler::model::tools {
namespace {

constexpr size_t kMaxHeaderBytes = 64 * 1024;
constexpr absl::string_view kEnd = "\r\n\r\n";

// Whether the comma-separated header `value` contains `token` (lower case), in any case.
bool HasToken(absl::string_view value, absl::string_view token) {
  return absl::StrContains(absl::AsciiStrToLower(value), token);
}

struct StatusLine {
  bool http11 = true;
  int status = 0;
};

absl::Status ParseStatusLine(absl::string_view line, StatusLine* out) {
  // "HTTP/1.1 200 OK"
  if (line.size() < 12 || !absl::StartsWith(line, "HTTP/1.") || line[8] != ' ') {
    return absl::InvalidArgumentError("bad status line");
  }
  out->http11 = line[7] == '1';
  if (!absl::SimpleAtoi(line.substr(9, 3), &out->status) || out->status < 100) {
    return absl::InvalidArgumentError("bad status code");
  }
  return absl::OkStatus();
}

}  // namespace

void HttpReplyReader::Reset() {
  header_.clear();
  in_body_ = until_eof_ = done_ = ok_ = reusable_ = false;
  body_remaining_ = 0;
  status_ = 0;
  keep_alive_ = true;
  label_.clear();
}

ReplyReader::State HttpReplyReader::Feed(absl::string_view bytes) {
  if (done_) return State::kDone;
  if (!in_body_) return FeedHeader(bytes);
  if (until_eof_) return State::kNeedMore;
  if (bytes.size() > static_cast<size_t>(body_remaining_)) {
    return Finish("bad response: bytes after the body", false, false);
  }
  body_remaining_ -= static_cast<int64_t>(bytes.size());
  if (body_remaining_ > 0) return State::kNeedMore;
  return Finish(absl::StrCat(status_), status_ / 100 == 2, keep_alive_);
}

ReplyReader::State HttpReplyReader::FeedHeader(absl::string_view bytes) {
  const size_t old = header_.size();
  header_.append(bytes.data(), bytes.size());
  const size_t end = header_.find(kEnd.data(), old >= 3 ? old - 3 : 0, kEnd.size());
  if (end == std::string::npos) {
    if (header_.size() <= kMaxHeaderBytes) return State::kNeedMore;
    return Finish("bad response: header too large", false, false);
  }
  std::string rest = header_.substr(end + kEnd.size());
  header_.resize(end + kEnd.size());
  absl::Status parsed = ParseHeader(header_);
  header_.clear();
  if (!parsed.ok()) return Finish(std::string(parsed.message()), false, false);
  if (status_ < 200) return FeedHeader(rest);  // interim response, e.g. 100 Continue
  in_body_ = true;
  if (!until_eof_ && body_remaining_ == 0 && rest.empty()) {
    return Finish(absl::StrCat(status_), status_ / 100 == 2, keep_alive_);
  }
  return Feed(rest);
}

absl::Status HttpReplyReader::ParseHeader(absl::string_view header) {
  std::vector<absl::string_view> lines = absl::StrSplit(header, "\r\n");
  StatusLine status_line;
  if (!ParseStatusLine(lines[0], &status_line).ok()) {
    return absl::InvalidArgumentError("bad response: status line");
  }
  status_ = status_line.status;
  keep_alive_ = status_line.http11;
  bool has_length = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::pair<absl::string_view, absl::string_view> field =
        absl::StrSplit(lines[i], absl::MaxSplits(':', 1));
    absl::string_view value = absl::StripAsciiWhitespace(field.second);
    if (absl::EqualsIgnoreCase(field.first, "content-length")) {
      has_length = absl::SimpleAtoi(value, &body_remaining_) && body_remaining_ >= 0;
      if (!has_length) return absl::InvalidArgumentError("bad response: content-length");
    } else if (absl::EqualsIgnoreCase(field.first, "connection")) {
      if (HasToken(value, "close")) keep_alive_ = false;
      if (HasToken(value, "keep-alive")) keep_alive_ = true;
    } else if (absl::EqualsIgnoreCase(field.first, "transfer-encoding") &&
               HasToken(value, "chunked")) {
      return absl::InvalidArgumentError("unsupported: chunked");
    }
  }
  const bool bodiless = status_ < 200 || status_ == 204 || status_ == 304;
  if (bodiless) body_remaining_ = 0;
  until_eof_ = !bodiless && !has_length;
  if (until_eof_) keep_alive_ = false;
  return absl::OkStatus();
}

void HttpReplyReader::EndOfStream() {
  if (done_) return;
  if (in_body_ && until_eof_) {
    Finish(absl::StrCat(status_), status_ / 100 == 2, false);
  } else if (!in_body_ && header_.empty()) {
    Finish("closed before response", false, false);
  } else {
    Finish("closed mid-response", false, false);
  }
}

ReplyReader::State HttpReplyReader::Finish(std::string label, bool ok, bool reusable) {
  done_ = true;
  label_ = std::move(label);
  ok_ = ok;
  reusable_ = reusable;
  return State::kDone;
}

}  // namespace kepler::model::tools
