#include "gateway/train_request_json.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/trainer_name.h"
#include "rapidjson/memorystream.h"
#include "rapidjson/reader.h"

namespace kepler::model::gateway {
namespace {

// SAX handler: a path of keys, spans of the two captures, scalar fields as they pass.
class TrainRequestHandler
    : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TrainRequestHandler> {
 public:
  TrainRequestHandler(const rapidjson::MemoryStream& stream, absl::string_view body,
                      v1::TrainRequest& request)
      : stream_(stream), body_(body), request_(request) {}

  bool StartObject() { return Open(/*object=*/true); }
  bool EndObject(rapidjson::SizeType) { return Close(); }
  bool StartArray() { return Open(/*object=*/false); }
  bool EndArray(rapidjson::SizeType) { return Close(); }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    if (skip_depth_ == 0) key_ = std::string(text, length);
    return true;
  }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    return skip_depth_ > 0 || Scalar(std::string(text, length));
  }
  bool Bool(bool value) {
    if (skip_depth_ == 0 && Path() == "/use_vm_metrics") request_.set_use_vm_metrics(value);
    return true;
  }
  bool Default() { return true; }  // numbers, null: ignored outside known fields
  bool Int(int v) { return Number(std::to_string(v)); }
  bool Uint(unsigned v) { return Number(std::to_string(v)); }
  bool Int64(int64_t v) { return Number(std::to_string(v)); }
  bool Uint64(uint64_t v) { return Number(std::to_string(v)); }
  bool Double(double v) { return Number(absl::StrCat(v)); }

  const std::string& error() const { return error_; }

 private:
  struct Frame {
    std::string key;  // key of this container in its parent
    bool object;
  };

  std::string Path() const {
    std::string path;
    for (size_t i = 1; i < stack_.size(); ++i) absl::StrAppend(&path, "/", stack_[i].key);
    if (!stack_.empty() && stack_.back().object) absl::StrAppend(&path, "/", key_);
    return path;
  }

  bool Open(bool object) {
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return true;
    }
    // The request's own fields nest three deep; deeper is not a TrainRequest (and paths stay
    // cheap to build).
    if (stack_.size() >= kMaxDepth) return Fail("field nesting is too deep for a TrainRequest");
    std::string path = Path();
    if (object && (path == "/prom_response" || path == "/trainer/idle_prom_response")) {
      skip_depth_ = 1;
      span_start_ = BracketAt(stream_.Tell(), '{');
      span_field_ = path;
    }
    stack_.push_back({stack_.empty() ? "" : key_, object});
    key_.clear();
    return true;
  }

  bool Close() {
    if (skip_depth_ > 0 && --skip_depth_ == 0) {
      size_t end = BracketAt(stream_.Tell(), '}') + 1;
      std::string json(body_.substr(span_start_, end - span_start_));
      v1::Capture* capture = span_field_ == "/prom_response"
                                 ? request_.mutable_prom_response()
                                 : request_.mutable_trainer()->mutable_idle_prom_response();
      capture->set_json(std::move(json));
    }
    if (skip_depth_ > 0) return true;
    key_ = stack_.back().key;
    stack_.pop_back();
    return true;
  }

  // The iterative reader reports a bracket before consuming it (the recursive one after): the
  // bracket is at `position`, or the last one before it.
  size_t BracketAt(size_t position, char bracket) const {
    if (position < body_.size() && body_[position] == bracket) return position;
    return body_.rfind(bracket, position == 0 ? 0 : position - 1);
  }

  bool Fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  bool Scalar(std::string value) {
    std::string path = Path();
    if (path == "/name") request_.set_name(value);
    else if (path == "/energy_source") request_.set_energy_source(value);
    else if (path == "/trainer/isolator") request_.mutable_trainer()->set_isolator(value);
    else if (path == "/trainer/abs_trainers" || path == "/trainer/dyn_trainers") return Trainer(path, value);
    else if (absl::StartsWith(path, "/trainer/isolator_args/")) {
      (*request_.mutable_trainer()->mutable_isolator_args())[key_] = value;
    }
    return true;
  }

  bool Number(std::string text) {
    if (skip_depth_ > 0) return true;
    if (absl::StartsWith(Path(), "/trainer/isolator_args/")) return Scalar(std::move(text));
    return true;
  }

  bool Trainer(const std::string& path, const std::string& name) {
    auto trainer = core::ParseTrainerName(name);
    if (!trainer.has_value()) return Fail(absl::StrCat("field 'trainer': unknown trainer '", name, "'"));
    if (path == "/trainer/abs_trainers") request_.mutable_trainer()->add_abs_trainers(*trainer);
    else request_.mutable_trainer()->add_dyn_trainers(*trainer);
    return true;
  }

  static constexpr size_t kMaxDepth = 16;

  const rapidjson::MemoryStream& stream_;
  absl::string_view body_;
  v1::TrainRequest& request_;
  std::vector<Frame> stack_;
  std::string key_;
  int skip_depth_ = 0;
  size_t span_start_ = 0;
  std::string span_field_;
  std::string error_;
};

}  // namespace

absl::StatusOr<v1::TrainRequest> ParseTrainRequestJson(absl::string_view body) {
  v1::TrainRequest request;
  rapidjson::MemoryStream stream(body.data(), body.size());
  TrainRequestHandler handler(stream, body, request);
  rapidjson::Reader reader;
  // Iterative: a deeply nested body must be an error, not a stack overflow.
  rapidjson::ParseResult result =
      reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(stream, handler);
  if (!handler.error().empty()) return absl::InvalidArgumentError(handler.error());
  if (result.IsError()) {
    return absl::InvalidArgumentError(
        absl::StrCat("request body is not valid JSON (offset ", result.Offset(), ")"));
  }
  if (request.prom_response().json().empty()) {
    return absl::InvalidArgumentError("field 'prom_response' is required");
  }
  return request;
}

}  // namespace kepler::model::gateway
