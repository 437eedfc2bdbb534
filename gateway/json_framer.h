// Finds the end of one JSON value in a byte stream that arrives in pieces.
//
// What: an incremental detector of one complete top-level JSON value. It does
// not parse or validate the value; it only tracks enough state (inside a
// string, after a backslash, the stack of open braces and brackets) to know
// where a top-level object or array ends.
// Why: Kepler writes its request to the estimator socket with no newline, no
// length prefix and no half-close (docs/socket-framing.md,
// spec/kepler-clients.md §2), and may be split by the kernel into any number
// of reads. The server must find the end of the request itself, however the
// bytes were split, in time linear in the request size.
// How to use:
//   JsonFramer framer;
//   while (framer.Feed(next_chunk) == JsonFramer::State::kNeedMore) {...}
//   // kComplete: the request is the first framer.consumed() bytes of the
//   // stream; bytes after it are not part of it.
// At end of stream call Finish(): a top-level scalar ("abc", 12, true) has no
// closing byte, so it is complete only at end of stream.
//
// Rules: leading JSON whitespace (space, tab, CR, LF) is skipped; the first
// other byte must start a JSON value ({ [ " - 0-9 t f n), else kError. Inside
// an object or array, braces and brackets inside strings are ignored, `\x`
// escapes are skipped, and a closer that does not match the innermost opener
// is kError. Nothing else is validated: the caller's parser does that.
//
// Thread-safety: none; one framer per stream, used by one thread at a time.
#ifndef KEPLER_GATEWAY_JSON_FRAMER_H_
#define KEPLER_GATEWAY_JSON_FRAMER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace kepler::model::gateway {

class JsonFramer {
 public:
  enum class State {
    kNeedMore,  // no complete value yet; feed more bytes
    kComplete,  // the value is the first consumed() bytes of the stream
    kError,     // the stream cannot hold a JSON value; see error()
  };

  // Scans `chunk`, the next bytes of the stream, and returns the new state.
  // Stops at the byte that completes the value or is an error; later bytes of
  // `chunk` are not consumed. Once kComplete or kError, further calls change
  // nothing and return the same state. Amortised O(chunk.size()).
  State Feed(absl::string_view chunk);

  // Signals end of stream. A top-level scalar becomes kComplete (all bytes
  // fed are the frame); an empty stream or an unclosed object/array becomes
  // kError. A state already kComplete or kError is returned unchanged.
  State Finish();

  // The current state.
  State state() const { return state_; }

  // Bytes of the stream consumed so far. After kComplete, the length of the
  // frame (leading whitespace included, trailing bytes excluded). After
  // kError, the offset just past the offending byte (or all bytes at Finish).
  size_t consumed() const { return consumed_; }

  // Why the state is kError (names the offending byte and its offset); empty
  // otherwise.
  const std::string& error() const { return error_; }

 private:
  enum class Mode { kLeadingSpace, kContainer, kScalar };

  // How many leading bytes of `rest` Step() would consume without changing
  // any state (inside a container: non-structural bytes outside strings,
  // bytes other than '"' and '\\' inside strings).
  size_t SkippableRun(absl::string_view rest) const;
  State Step(char c);
  State StepStart(char c);
  State StepContainer(char c);
  State Fail(absl::string_view what, char c);

  State state_ = State::kNeedMore;
  Mode mode_ = Mode::kLeadingSpace;
  bool in_string_ = false;
  bool escaped_ = false;
  std::vector<char> closers_;  // expected closing byte per open level
  size_t consumed_ = 0;
  std::string error_;
};

}  // namespace kepler::model::gateway

#endif  // KEPLER_GATEWAY_JSON_FRAMER_H_
