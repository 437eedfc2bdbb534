// The protocol-specific half of a load driver: when is a reply complete, and
// how did it go.
//
// What: an interface fed with the bytes read from one connection after a
// request was sent. It says when the reply is complete, labels its outcome
// ("200", "ok", "msg: no model", "closed early"), whether that outcome counts
// as a success, and whether the connection may carry the next request.
// Why: the event loop (load_loop.h) is the same for the model server's
// keep-alive HTTP and the estimator's one-request-per-connection socket; only
// reply framing and success differ.
// How to use: one reader per connection; Reset() before each request, Feed()
// every chunk read until it returns kDone, or EndOfStream() when the peer
// closes first. label(), ok() and reusable() are valid once done.
//
// Thread-safety: a reader belongs to one connection and one thread.
#ifndef KEPLER_TOOLS_LOAD_REPLY_READER_H_
#define KEPLER_TOOLS_LOAD_REPLY_READER_H_

#include <string>

#include "absl/strings/string_view.h"

namespace kepler::model::tools {

class ReplyReader {
 public:
  enum class State { kNeedMore, kDone };

  virtual ~ReplyReader() = default;

  // Forgets the previous reply; the next bytes start a new one.
  virtual void Reset() = 0;

  // Consumes the next bytes of the reply. kDone once it is complete.
  virtual State Feed(absl::string_view bytes) = 0;

  // The peer closed its side: completes the reply, successfully or not.
  virtual void EndOfStream() = 0;

  // The outcome label of the completed reply, e.g. "200" or "ok".
  virtual const std::string& label() const = 0;

  // Whether the completed reply is a success.
  virtual bool ok() const = 0;

  // Whether the connection may carry another request.
  virtual bool reusable() const = 0;
};

}  // namespace kepler::model::tools

#endif  // KEPLER_TOOLS_LOAD_REPLY_READER_H_
