#include "tools/load/estimator_reply_reader.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace kepler::model::tools {
namespace {

constexpr size_t kMaxLabelBytes = 60;

// The raw (still escaped) text of the string value of the last "msg" key, or
// false when there is none. The message follows the powers, so search backwards.
bool FindMsg(absl::string_view reply, absl::string_view* msg) {
  size_t key = reply.rfind("\"msg\"");
  if (key == absl::string_view::npos) return false;
  absl::string_view rest = absl::StripLeadingAsciiWhitespace(reply.substr(key + 5));
  if (!absl::ConsumePrefix(&rest, ":")) return false;
  rest = absl::StripLeadingAsciiWhitespace(rest);
  if (!absl::ConsumePrefix(&rest, "\"")) return false;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '\\') {
      ++i;
    } else if (rest[i] == '"') {
      *msg = rest.substr(0, i);
      return true;
    }
  }
  return false;
}

}  // namespace

std::string ClassifyEstimatorReply(absl::string_view reply, bool* ok) {
  *ok = false;
  absl::string_view body = absl::StripAsciiWhitespace(reply);
  if (body.empty()) return "empty reply";
  absl::string_view msg;
  if (!absl::StartsWith(body, "{") || !FindMsg(body, &msg)) return "bad reply";
  if (!msg.empty()) return absl::StrCat("msg: ", msg.substr(0, kMaxLabelBytes));
  absl::string_view powers = body.substr(1);
  powers = absl::StripLeadingAsciiWhitespace(powers);
  if (!absl::ConsumePrefix(&powers, "\"powers\"")) return "bad reply";
  powers = absl::StripLeadingAsciiWhitespace(powers);
  if (!absl::ConsumePrefix(&powers, ":")) return "bad reply";
  if (!absl::StartsWith(absl::StripLeadingAsciiWhitespace(powers), "{")) return "bad reply";
  *ok = true;
  return "ok";
}

void EstimatorReplyReader::Reset() {
  reply_.clear();
  label_.clear();
  ok_ = false;
}

ReplyReader::State EstimatorReplyReader::Feed(absl::string_view bytes) {
  reply_.append(bytes.data(), bytes.size());
  return State::kNeedMore;
}

void EstimatorReplyReader::EndOfStream() { label_ = ClassifyEstimatorReply(reply_, &ok_); }

}  // namespace kepler::model::tools
