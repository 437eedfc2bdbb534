// Reads the estimator's one reply per connection and labels its outcome.
//
// What: a ReplyReader for the legacy estimator socket (docs/socket-framing.md):
// the reply is everything the server writes before it closes the connection,
// a JSON object {"powers": {...}, "msg": "...", "core_ratio": x}. The reply
// is a success when "msg" is empty and "powers" is an object.
// Why: Kepler opens a new connection per request and reads until close; the
// socket driver does the same, and counts answers whose msg is not empty as
// errors, labelled by their message, so a load run cannot pass on error
// answers.
// How to use: see reply_reader.h; Feed() never completes a reply, only
// EndOfStream() does. ClassifyEstimatorReply() is the labelling on its own.
//
// Thread-safety: one connection, one thread.
#ifndef KEPLER_TOOLS_LOAD_ESTIMATOR_REPLY_READER_H_
#define KEPLER_TOOLS_LOAD_ESTIMATOR_REPLY_READER_H_

#include <string>

#include "tools/load/reply_reader.h"

namespace kepler::model::tools {

// The label of a complete estimator reply: "ok", "empty reply", "bad reply"
// (no "msg" string), or "msg: <first 60 bytes of the message>". Sets *ok to
// whether it is "ok".
std::string ClassifyEstimatorReply(absl::string_view reply, bool* ok);

class EstimatorReplyReader : public ReplyReader {
 public:
  void Reset() override;
  State Feed(absl::string_view bytes) override;
  void EndOfStream() override;
  const std::string& label() const override { return label_; }
  bool ok() const override { return ok_; }
  bool reusable() const override { return false; }

  // The complete reply (valid after EndOfStream()).
  const std::string& reply() const { return reply_; }

 private:
  std::string reply_;
  std::string label_;
  bool ok_ = false;
};

}  // namespace kepler::model::tools

#endif  // KEPLER_TOOLS_LOAD_ESTIMATOR_REPLY_READER_H_
