#include "gateway/json_framer.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "absl/strings/str_cat.h"

namespace kepler::model::gateway {
namespace {

bool IsJsonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The bytes that change the container state outside strings.
bool IsStructural(char c) {
  return c == '"' || c == '{' || c == '}' || c == '[' || c == ']';
}

#ifdef __SSE2__
// Whole 16-byte blocks at the start of `bytes` holding no byte for which `hit` is set; the
// scalar loops in SkippableRun() finish the last partial block.
template <typename Hit>
size_t CleanBlocks(absl::string_view bytes, Hit hit) {
  size_t n = 0;
  for (; n + 16 <= bytes.size(); n += 16) {
    __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes.data() + n));
    if (_mm_movemask_epi8(hit(block)) != 0) break;
  }
  return n;
}

size_t StringRun(absl::string_view bytes) {
  return CleanBlocks(bytes, [](__m128i b) {
    return _mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8('"')),
                        _mm_cmpeq_epi8(b, _mm_set1_epi8('\\')));
  });
}

size_t StructureFreeRun(absl::string_view bytes) {
  return CleanBlocks(bytes, [](__m128i b) {
    // '[' | 0x20 == '{' and ']' | 0x20 == '}'.
    __m128i folded = _mm_or_si128(b, _mm_set1_epi8(0x20));
    return _mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8('"')),
                        _mm_or_si128(_mm_cmpeq_epi8(folded, _mm_set1_epi8('{')),
                                     _mm_cmpeq_epi8(folded, _mm_set1_epi8('}'))));
  });
}
#else
size_t StringRun(absl::string_view) { return 0; }
size_t StructureFreeRun(absl::string_view) { return 0; }
#endif

bool StartsScalar(char c) {
  return c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' ||
         c == 'f' || c == 'n';
}

}  // namespace

JsonFramer::State JsonFramer::Feed(absl::string_view chunk) {
  size_t i = 0;
  while (i < chunk.size() && state_ == State::kNeedMore) {
    // Numbers, commas and string contents are most of a request: pass over
    // them in a tight loop instead of one Step() per byte.
    const size_t skip = SkippableRun(chunk.substr(i));
    i += skip;
    consumed_ += skip;
    if (i == chunk.size()) break;
    ++consumed_;
    state_ = Step(chunk[i++]);
  }
  return state_;
}

size_t JsonFramer::SkippableRun(absl::string_view rest) const {
  if (mode_ != Mode::kContainer || escaped_) return 0;
  size_t n = in_string_ ? StringRun(rest) : StructureFreeRun(rest);
  if (in_string_) {
    while (n < rest.size() && rest[n] != '"' && rest[n] != '\\') ++n;
  } else {
    while (n < rest.size() && !IsStructural(rest[n])) ++n;
  }
  return n;
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
