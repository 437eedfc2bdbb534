// The SAX handler that fills a Capture from RapidJSON events (internal to //trainer:capture).
//
// A small state machine: a stack of frames (root object, API envelope, its data object, a series
// list, a series, its labels, its values, one sample) and the slot the last key opened. Samples of
// the current series go to two scratch arrays that keep their capacity between series; at the end
// of a series they are checked (strictly increasing timestamps) and appended to the query's table.
// Any shape error stops the reader (the handler returns false) and leaves the reason in status().
//
// Thread-safety: one handler fills one Capture on one thread.
#ifndef KEPLER_TRAINER_INTERNAL_CAPTURE_HANDLER_H_
#define KEPLER_TRAINER_INTERNAL_CAPTURE_HANDLER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "trainer/capture.h"

namespace kepler::model::trainer::internal {

class CaptureHandler {
 public:
  // Fills `capture` (not owned; must outlive the handler).
  CaptureHandler(Capture* capture, const ParseOptions& options);

  // RapidJSON SAX events (rapidjson::SizeType is unsigned).
  bool Null();
  bool Bool(bool value);
  bool Int(int value) { return Number(value); }
  bool Uint(unsigned value) { return Number(value); }
  bool Int64(int64_t value) { return Number(static_cast<double>(value)); }
  bool Uint64(uint64_t value) { return Number(static_cast<double>(value)); }
  bool Double(double value) { return Number(value); }
  bool RawNumber(const char*, unsigned, bool) { return true; }  // not requested
  bool String(const char* text, unsigned length, bool copy);
  bool StartObject();
  bool Key(const char* text, unsigned length, bool copy);
  bool EndObject(unsigned member_count);
  bool StartArray();
  bool EndArray(unsigned element_count);

  // OK while parsing goes well; the first shape error otherwise.
  const absl::Status& status() const { return status_; }
  // "query <name>: " (or "") for messages about where the reader stopped.
  std::string Where() const;
  // True once the whole top-level object was read.
  bool done() const { return done_; }

 private:
  enum class Frame : uint8_t { kRoot, kEnvelope, kData, kSeriesList, kSeries, kMetric, kValues,
                               kSample };
  enum class Slot : uint8_t { kNone, kQuery, kStatus, kData, kErrorType, kError, kResultType,
                              kResult, kMetric, kValues, kLabel, kSkip };

  static std::optional<Frame> Opens(Frame frame, Slot slot, bool is_object);
  bool Number(double value);
  bool Fail(absl::string_view problem);
  // Fails with what the current frame expected instead of `found`.
  bool ShapeError(absl::string_view found);
  bool StartContainer(bool is_object);
  bool EndContainer();
  bool OnRootKey(absl::string_view key);
  bool OnEnvelopeKey(absl::string_view key);
  bool OnStringSlot(absl::string_view text);
  bool BeginQuery(absl::string_view name);
  bool EndEnvelope();
  bool CommitSample();
  bool CommitSeries();
  SeriesTable* TableFor(absl::string_view name);

  Capture* capture_;
  ParseOptions options_;
  absl::Status status_;
  std::vector<Frame> frames_;
  Slot slot_ = Slot::kNone;
  int skip_depth_ = 0;
  bool done_ = false;

  std::string query_;            // query being read ("" for a top-level envelope by __name__)
  SeriesTable* table_ = nullptr; // its table, when known before the series end
  size_t series_index_ = 0;      // position of the current series within its list
  // Envelope state.
  std::string status_text_, error_type_, error_text_;
  bool saw_data_ = false, saw_result_ = false;
  // Current series.
  uint32_t label_name_ = 0;
  bool saw_values_ = false;
  std::vector<std::pair<uint32_t, uint32_t>> labels_;
  std::vector<double> timestamps_, values_;
  // Current sample.
  int sample_fields_ = 0;
  double sample_time_ = 0, sample_value_ = 0;
};

}  // namespace kepler::model::trainer::internal

#endif  // KEPLER_TRAINER_INTERNAL_CAPTURE_HANDLER_H_
