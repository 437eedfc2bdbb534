#include "gateway/json_framer.h"

#include "absl/strings/str_cat.h"

namespace kepler::model::gateway {
namespace {

bool IsJsonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool StartsScalar(char c) {
  return c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' ||
         c == 'f' || c == 'n';
}

}  // namespace

JsonFramer::State JsonFramer::Feed(absl::string_view chunk) {
  for (char c : chunk) {
    if (state_ != State::kNeedMore) break;
    ++consumed_;
    state_ = Step(c);
  }
  return state_;
}

JsonFramer::State JsonFramer::Finish() {
  if (state_ != State::kNeedMore) return state_;
  if (mode_ == Mode::kScalar) return state_ = State::kComplete;
  error_ = mode_ == Mode::kLeadingSpace
               ? "end of stream before any JSON value"
               : absl::StrCat(
                     "end of stream inside an unclosed object or "
                     "array after ",
                     consumed_, " bytes");
  return state_ = State::kError;
}

JsonFramer::State JsonFramer::Step(char c) {
  switch (mode_) {
    case Mode::kLeadingSpace:
      return StepStart(c);
    case Mode::kContainer:
      return StepContainer(c);
    case Mode::kScalar:
      return State::kNeedMore;  // complete only at Finish()
  }
  return State::kNeedMore;  // unreachable: every mode is handled above
}

JsonFramer::State JsonFramer::StepStart(char c) {
  if (IsJsonSpace(c)) return State::kNeedMore;
  if (c == '{' || c == '[') {
    closers_.push_back(c == '{' ? '}' : ']');
    mode_ = Mode::kContainer;
    return State::kNeedMore;
  }
  if (StartsScalar(c)) {
    mode_ = Mode::kScalar;
    return State::kNeedMore;
  }
  return Fail("cannot start a JSON value", c);
}

JsonFramer::State JsonFramer::StepContainer(char c) {
  if (in_string_) {
    if (escaped_) {
      escaped_ = false;
    } else if (c == '\\') {
      escaped_ = true;
    } else if (c == '"') {
      in_string_ = false;
    }
    return State::kNeedMore;
  }
  switch (c) {
    case '"':
      in_string_ = true;
      return State::kNeedMore;
    case '{':
    case '[':
      closers_.push_back(c == '{' ? '}' : ']');
      return State::kNeedMore;
    case '}':
    case ']':
      if (closers_.back() != c) {
        return Fail(
            absl::StrCat("where '", absl::string_view(&closers_.back(), 1),
                         "' was expected"),
            c);
      }
      closers_.pop_back();
      return closers_.empty() ? State::kComplete : State::kNeedMore;
    default:
      return State::kNeedMore;
  }
}

JsonFramer::State JsonFramer::Fail(absl::string_view what, char c) {
  error_ = absl::StrCat(
      "byte 0x", absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2),
      " at offset ", consumed_ - 1, " ", what);
  return State::kError;
}

}  // namespace kepler::model::gateway
