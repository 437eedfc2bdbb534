// Fuzzes gateway/json_framer.h: the end-of-request detection of the estimator socket, with the
// stream split at fuzzer-chosen points as the kernel may split a client's write.
//
// Input: the last bytes choose up to 16 split offsets (FuzzedDataProvider takes integers from
// the end); the rest is the byte stream.
// Invariants:
// - Fed in pieces, the framer ends in the same state, with the same consumed() and error(), as
//   fed whole; consumed() never exceeds the bytes fed, and once kComplete or kError, further
//   Feed() and Finish() calls change nothing.
// - kComplete before Finish() ends on the '}' or ']' closing the value, and the frame alone fed
//   to a new framer completes at the same length; kComplete at Finish() (a top-level scalar)
//   frames the whole stream. error() is non-empty exactly in kError.
// - Wherever RapidJSON parses a complete top-level object or array from the start of the
//   stream, the framer completes exactly where RapidJSON stopped.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_check.h"
#include "gateway/json_framer.h"
#include "rapidjson/encodedstream.h"
#include "rapidjson/memorystream.h"
#include "rapidjson/reader.h"

namespace {

using kepler::model::gateway::JsonFramer;
using State = JsonFramer::State;

struct Outcome {
  State fed;        // state after the last Feed(), before Finish()
  State finished;   // state after Finish()
  size_t consumed;  // consumed() after Finish()
  std::string error;
};

Outcome FeedInPieces(absl::string_view stream, const std::vector<size_t>& cuts) {
  JsonFramer framer;
  size_t begin = 0;
  for (size_t cut : cuts) {
    const State before = framer.state();
    const size_t consumed_before = framer.consumed();
    const State after = framer.Feed(stream.substr(begin, cut - begin));
    begin = cut;
    FUZZ_CHECK(after == framer.state(), "Feed() returned a state other than state()");
    FUZZ_CHECK(framer.consumed() <= begin, "consumed more than was fed");
    if (before != State::kNeedMore) {
      FUZZ_CHECK(after == before && framer.consumed() == consumed_before,
                 "a finished framer changed");
    }
  }
  Outcome outcome{framer.state(), framer.Finish(), framer.consumed(), framer.error()};
  FUZZ_CHECK(framer.Finish() == outcome.finished && framer.Feed("}") == outcome.finished &&
                 framer.consumed() == outcome.consumed,
             "a finished framer changed");
  return outcome;
}

// Where RapidJSON ends a complete top-level object or array at the start of `stream`, or npos.
size_t RapidJsonContainerEnd(absl::string_view stream) {
  const size_t start = stream.find_first_not_of(" \t\r\n");
  if (start == absl::string_view::npos || (stream[start] != '{' && stream[start] != '[')) {
    return absl::string_view::npos;
  }
  rapidjson::MemoryStream memory(stream.data(), stream.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(memory);
  rapidjson::Reader reader;
  rapidjson::BaseReaderHandler<> ignore;
  constexpr unsigned kFlags = rapidjson::kParseStopWhenDoneFlag | rapidjson::kParseIterativeFlag;
  if (reader.Parse<kFlags>(in, ignore).IsError()) return absl::string_view::npos;
  return in.Tell();
}

void CheckOutcome(absl::string_view stream, const Outcome& whole) {
  const bool is_error = whole.finished == State::kError;
  FUZZ_CHECK(whole.error.empty() != is_error, "error() set without kError or vice versa");
  FUZZ_CHECK(whole.consumed <= stream.size(), "consumed more than the stream");
  if (whole.fed == State::kComplete) {
    FUZZ_CHECK(whole.consumed > 0, "empty frame");
    const char last = stream[whole.consumed - 1];
    FUZZ_CHECK(last == '}' || last == ']', "frame does not end on a closer");
    JsonFramer again;
    FUZZ_CHECK(again.Feed(stream.substr(0, whole.consumed)) == State::kComplete &&
                   again.consumed() == whole.consumed,
               "the frame alone does not frame the same way");
  } else if (whole.finished == State::kComplete) {
    FUZZ_CHECK(whole.consumed == stream.size(), "a scalar frame is not the whole stream");
  }
  const size_t end = RapidJsonContainerEnd(stream);
  if (end != absl::string_view::npos) {
    FUZZ_CHECK(whole.fed == State::kComplete && whole.consumed == end,
               "the framer disagrees with RapidJSON on where the value ends");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider provider(data, size);
  std::vector<uint16_t> raw_cuts(provider.ConsumeIntegralInRange<size_t>(0, 16));
  for (uint16_t& cut : raw_cuts) cut = provider.ConsumeIntegral<uint16_t>();
  const std::string stream = provider.ConsumeRemainingBytesAsString();
  std::vector<size_t> cuts;
  for (uint16_t cut : raw_cuts) cuts.push_back(std::min<size_t>(cut, stream.size()));
  std::sort(cuts.begin(), cuts.end());
  cuts.push_back(stream.size());

  const Outcome whole = FeedInPieces(stream, {stream.size()});
  const Outcome pieces = FeedInPieces(stream, cuts);
  FUZZ_CHECK(pieces.fed == whole.fed && pieces.finished == whole.finished &&
                 pieces.consumed == whole.consumed && pieces.error == whole.error,
             "splitting the stream changed the outcome");
  CheckOutcome(stream, whole);
  return 0;
}
