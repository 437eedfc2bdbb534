// Frames HTTP/1.x responses on a keep-alive connection, without keeping bodies.
//
// What: a ReplyReader for HTTP/1.0 and 1.1 responses: parses the status line
// and the Content-Length, Connection and Transfer-Encoding headers, counts body
// bytes without storing them, skips 1xx interim responses, and reads a body
// without Content-Length until the server closes.
// Why: the HTTP load driver must not be the bottleneck: it does no allocation
// per body byte and no full header parsing. Chunked bodies are not supported
// (the servers measured here always send Content-Length) and end the reply
// with the label "unsupported: chunked" on a closed connection.
// How to use: see reply_reader.h. The label is the status code ("200"), or a
// transport error ("closed before response", "bad response: <why>"); ok() is
// a 2xx status; reusable() is keep-alive after a complete, well-framed reply.
//
// Thread-safety: one connection, one thread.
#ifndef KEPLER_TOOLS_LOAD_HTTP_REPLY_READER_H_
#define KEPLER_TOOLS_LOAD_HTTP_REPLY_READER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "tools/load/reply_reader.h"

namespace kepler::model::tools {

class HttpReplyReader : public ReplyReader {
 public:
  void Reset() override;
  State Feed(absl::string_view bytes) override;
  void EndOfStream() override;
  const std::string& label() const override { return label_; }
  bool ok() const override { return ok_; }
  bool reusable() const override { return reusable_; }

  // The status code of the completed reply (0 if none was parsed).
  int status() const { return status_; }

 private:
  // Parses the header block (status line to the empty line included).
  absl::Status ParseHeader(absl::string_view header);
  State FeedHeader(absl::string_view bytes);
  State FeedBody(absl::string_view bytes);
  State Finish(std::string label, bool ok, bool reusable);

  std::string header_;
  bool in_body_ = false;
  bool until_eof_ = false;
  int64_t body_remaining_ = 0;
  int status_ = 0;
  bool keep_alive_ = true;
  bool done_ = false;
  std::string label_;
  bool ok_ = false;
  bool reusable_ = false;
};

}  // namespace kepler::model::tools

#endif  // KEPLER_TOOLS_LOAD_HTTP_REPLY_READER_H_
