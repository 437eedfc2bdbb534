#include "trainer/internal/capture_handler.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "trainer/internal/string_pool.h"

namespace kepler::model::trainer::internal {
namespace {

bool IsEnvelopeKey(absl::string_view key) {
  return key == "status" || key == "data" || key == "errorType" || key == "error" ||
         key == "warnings" || key == "infos";
}

// Prometheus writes sample values as Go's strconv.FormatFloat: decimals, "NaN", "+Inf", "-Inf".
bool ParseSampleValue(absl::string_view text, double* out) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (begin != end && *begin == '+') ++begin;  // from_chars takes no '+'
  if (begin == end) return false;
  auto result = std::from_chars(begin, end, *out);
  return result.ec == std::errc() && result.ptr == end;
}

}  // namespace

// The frame a container opens in `frame` after a key of kind `slot`; nullopt for a wrong shape.
std::optional<CaptureHandler::Frame> CaptureHandler::Opens(Frame frame, Slot slot,
                                                           bool is_object) {
  switch (frame) {
    case Frame::kRoot:
      if (slot == Slot::kQuery) return is_object ? Frame::kEnvelope : Frame::kSeriesList;
      break;
    case Frame::kEnvelope:
      if (is_object && slot == Slot::kData) return Frame::kData;
      break;
    case Frame::kData:
      if (!is_object && slot == Slot::kResult) return Frame::kSeriesList;
      break;
    case Frame::kSeriesList:
      if (is_object) return Frame::kSeries;
      break;
    case Frame::kSeries:
      if (is_object && slot == Slot::kMetric) return Frame::kMetric;
      if (!is_object && slot == Slot::kValues) return Frame::kValues;
      break;
    case Frame::kValues:
      if (!is_object) return Frame::kSample;
      break;
    default:
      break;
  }
  return std::nullopt;
}

CaptureHandler::CaptureHandler(Capture* capture, const ParseOptions& options)
    : capture_(capture), options_(options) {}

std::string CaptureHandler::Where() const {
  std::string where;
  if (!query_.empty()) where = absl::StrCat("query ", query_);
  if (!frames_.empty() && (frames_.back() >= Frame::kSeries)) {
    absl::StrAppend(&where, where.empty() ? "" : ", ", "series ", series_index_);
  }
  return where.empty() ? "" : absl::StrCat(where, ": ");
}

bool CaptureHandler::Fail(absl::string_view problem) {
  if (status_.ok()) status_ = absl::InvalidArgumentError(absl::StrCat(Where(), problem));
  return false;
}

bool CaptureHandler::Null() {
  if (skip_depth_ > 0) return true;
  if (slot_ == Slot::kSkip) return (slot_ = Slot::kNone, true);
  return ShapeError("null");
}

bool CaptureHandler::Bool(bool) {
  if (skip_depth_ > 0) return true;
  if (slot_ == Slot::kSkip) return (slot_ = Slot::kNone, true);
  return ShapeError("boolean");
}

bool CaptureHandler::ShapeError(absl::string_view found) {
  if (frames_.empty()) return Fail("a capture must be a JSON object (query -> series list)");
  switch (frames_.back()) {
    case Frame::kRoot:
      return Fail("expected a list of series or a Prometheus response object");
    case Frame::kSeriesList:
      return Fail("each series must be an object {\"metric\", \"values\"}");
    case Frame::kMetric:
      return Fail("label values must be strings");
    case Frame::kValues:
    case Frame::kSample:
      return Fail("a sample must be [timestamp, \"value\"]");
    default:
      return Fail(absl::StrCat("unexpected ", found));
  }
}

bool CaptureHandler::Number(double value) {
  if (skip_depth_ > 0) return true;
  if (slot_ == Slot::kSkip) return (slot_ = Slot::kNone, true);
  if (frames_.empty() || frames_.back() != Frame::kSample) return ShapeError("number");
  if (sample_fields_ == 0) {
    sample_time_ = value;
  } else if (sample_fields_ == 1) {
    sample_value_ = value;
  } else {
    return Fail("a sample must be [timestamp, value]");
  }
  ++sample_fields_;
  return true;
}

bool CaptureHandler::String(const char* text, unsigned length, bool) {
  absl::string_view value(text, length);
  if (skip_depth_ > 0) return true;
  if (frames_.empty()) return ShapeError("string");
  switch (frames_.back()) {
    case Frame::kSample:
      if (sample_fields_ != 1) return Fail("a sample must be [timestamp, \"value\"]");
      if (!ParseSampleValue(value, &sample_value_)) {
        return Fail(absl::StrFormat("sample value \"%s\" is not a number",
                                    value.substr(0, 40)));
      }
      ++sample_fields_;
      return true;
    case Frame::kMetric: {
      StringPool* pool = capture_->pool_.get();
      labels_.emplace_back(label_name_, pool->Intern(value));
      slot_ = Slot::kNone;
      return true;
    }
    default:
      return OnStringSlot(value);
  }
}

bool CaptureHandler::OnStringSlot(absl::string_view text) {
  Slot slot = slot_;
  slot_ = Slot::kNone;
  switch (slot) {
    case Slot::kSkip:
      return true;
    case Slot::kStatus:
      status_text_ = std::string(text);
      return true;
    case Slot::kErrorType:
      error_type_ = std::string(text);
      return true;
    case Slot::kError:
      error_text_ = std::string(text);
      return true;
    case Slot::kResultType:
      if (text != "matrix") {
        return Fail(absl::StrCat("resultType \"", text,
                                 "\" is not a range-query result (\"matrix\")"));
      }
      return true;
    default:
      return ShapeError("string");
  }
}

bool CaptureHandler::Key(const char* text, unsigned length, bool) {
  absl::string_view key(text, length);
  if (skip_depth_ > 0) return true;
  switch (frames_.back()) {
    case Frame::kRoot:
      return OnRootKey(key);
    case Frame::kEnvelope:
      return OnEnvelopeKey(key);
    case Frame::kData:
      slot_ = key == "resultType" ? Slot::kResultType
              : key == "result"   ? Slot::kResult
                                  : Slot::kSkip;
      return true;
    case Frame::kSeries:
      if (key == "value") return Fail("has an instant \"value\"; expected range \"values\"");
      slot_ = key == "metric" ? Slot::kMetric : key == "values" ? Slot::kValues : Slot::kSkip;
      return true;
    case Frame::kMetric:
      label_name_ = capture_->pool_->Intern(key);
      slot_ = Slot::kLabel;
      return true;
    default:
      return Fail("unexpected key");
  }
}

bool CaptureHandler::OnRootKey(absl::string_view key) {
  bool first = capture_->tables_.empty() && query_.empty();
  if (first && IsEnvelopeKey(key)) {  // a bare Prometheus response
    frames_.back() = Frame::kEnvelope;
    query_ = options_.query_name;
    table_ = query_.empty() ? nullptr : TableFor(query_);
    return OnEnvelopeKey(key);
  }
  query_ = std::string(key);
  slot_ = Slot::kQuery;
  return true;
}

bool CaptureHandler::OnEnvelopeKey(absl::string_view key) {
  slot_ = key == "status"      ? Slot::kStatus
          : key == "data"      ? Slot::kData
          : key == "errorType" ? Slot::kErrorType
          : key == "error"     ? Slot::kError
                               : Slot::kSkip;
  return true;
}

bool CaptureHandler::StartObject() { return StartContainer(/*is_object=*/true); }
bool CaptureHandler::StartArray() { return StartContainer(/*is_object=*/false); }
bool CaptureHandler::EndObject(unsigned) { return EndContainer(); }
bool CaptureHandler::EndArray(unsigned) { return EndContainer(); }

bool CaptureHandler::StartContainer(bool is_object) {
  if (skip_depth_ > 0) return (++skip_depth_, true);
  Slot slot = slot_;
  slot_ = Slot::kNone;
  if (slot == Slot::kSkip) return (skip_depth_ = 1, true);
  if (frames_.empty()) {
    if (!is_object) return Fail("a capture must be a JSON object (query -> series list)");
    frames_.push_back(Frame::kRoot);
    return true;
  }
  std::optional<Frame> next = Opens(frames_.back(), slot, is_object);
  if (!next.has_value()) return ShapeError(is_object ? "object" : "array");
  switch (*next) {
    case Frame::kEnvelope:
    case Frame::kSeriesList:
      if (frames_.back() == Frame::kRoot && !BeginQuery(query_)) return false;
      saw_result_ |= frames_.back() == Frame::kData;
      break;
    case Frame::kData:
      saw_data_ = true;
      break;
    case Frame::kSeries:
      labels_.clear();
      timestamps_.clear();
      values_.clear();
      saw_values_ = false;
      break;
    case Frame::kValues:
      saw_values_ = true;
      break;
    case Frame::kSample:
      sample_fields_ = 0;
      break;
    default:
      break;
  }
  frames_.push_back(*next);
  return true;
}

bool CaptureHandler::EndContainer() {
  if (skip_depth_ > 0) return (--skip_depth_, true);
  Frame frame = frames_.back();
  switch (frame) {
    case Frame::kSample:
      if (!CommitSample()) return false;
      break;
    case Frame::kSeries:
      if (!CommitSeries()) return false;
      ++series_index_;
      break;
    case Frame::kData:
      if (!saw_result_) return Fail("the response has no data.result");
      break;
    case Frame::kEnvelope:
      if (!EndEnvelope()) return false;
      break;
    default:
      break;
  }
  frames_.pop_back();
  if (frames_.empty()) done_ = true;
  // The end of a query's value: back to the root object.
  if (!frames_.empty() && frames_.back() == Frame::kRoot &&
      (frame == Frame::kSeriesList || frame == Frame::kEnvelope)) {
    query_.clear();
    table_ = nullptr;
  }
  return true;
}

bool CaptureHandler::BeginQuery(absl::string_view name) {
  if (capture_->index_.contains(name)) return Fail("the query appears twice");
  table_ = TableFor(name);
  series_index_ = 0;
  status_text_.clear();
  error_type_.clear();
  error_text_.clear();
  saw_data_ = saw_result_ = false;
  return true;
}

bool CaptureHandler::EndEnvelope() {
  if (!status_text_.empty() && status_text_ != "success") {
    return Fail(absl::StrCat("Prometheus answered status \"", status_text_, "\"",
                             error_type_.empty() ? "" : ": ", error_type_,
                             error_text_.empty() ? "" : ": ", error_text_));
  }
  if (!saw_data_) return Fail("the response has no data");
  return true;
}

bool CaptureHandler::CommitSample() {
  if (sample_fields_ != 2) return Fail("a sample must be [timestamp, \"value\"]");
  timestamps_.push_back(sample_time_);
  values_.push_back(sample_value_);
  return true;
}

SeriesTable* CaptureHandler::TableFor(absl::string_view name) {
  auto it = capture_->index_.find(name);
  if (it != capture_->index_.end()) return capture_->tables_[it->second].get();
  capture_->tables_.push_back(std::unique_ptr<SeriesTable>(
      new SeriesTable(std::string(name), capture_->pool_.get())));
  capture_->index_.emplace(std::string(name), capture_->tables_.size() - 1);
  return capture_->tables_.back().get();
}

bool CaptureHandler::CommitSeries() {
  if (!saw_values_ || timestamps_.empty()) return Fail("the series has no values");
  for (size_t i = 1; i < timestamps_.size(); ++i) {
    if (!(timestamps_[i] > timestamps_[i - 1])) {
      return Fail(absl::StrFormat(
          "timestamps must increase strictly: sample %d at %.17g follows %.17g", i,
          timestamps_[i], timestamps_[i - 1]));
    }
  }
  const StringPool& pool = *capture_->pool_;
  SeriesTable* table = table_;
  if (table == nullptr) {  // top-level response filed by __name__
    uint32_t name_id = pool.Find("__name__");
    auto it = std::find_if(labels_.begin(), labels_.end(),
                           [&](const auto& label) { return label.first == name_id; });
    if (it == labels_.end() || pool.Get(it->second).empty()) {
      return Fail("the series has no __name__ label; pass the query name");
    }
    table = TableFor(pool.Get(it->second));
  }
  std::sort(labels_.begin(), labels_.end(), [&](const auto& a, const auto& b) {
    return pool.Get(a.first) < pool.Get(b.first);
  });
  for (const auto& [name, value] : labels_) table->labels_.push_back({name, value});
  table->label_offsets_.push_back(static_cast<uint32_t>(table->labels_.size()));
  table->timestamps_.insert(table->timestamps_.end(), timestamps_.begin(), timestamps_.end());
  table->values_.insert(table->values_.end(), values_.begin(), values_.end());
  table->sample_offsets_.push_back(table->timestamps_.size());
  return true;
}

}  // namespace kepler::model::trainer::internal
