// One request on a new connection, blocking, with a deadline.
//
// What: connects to an endpoint, sends a request, and feeds the reply to a
// ReplyReader until it is complete or the server closes.
// Why: the start-to-first-answer timer polls a freshly started service with
// the same request and the same notion of success as the load drivers.
// How to use:
//   HttpReplyReader reader;
//   absl::Status s = ExchangeOnce(endpoint, bytes, absl::Seconds(1), &reader);
//   if (s.ok() && reader.ok()) { /* answered successfully */ }
//
// Thread-safety: free function; `reader` is used by the calling thread only.
#ifndef KEPLER_TOOLS_LOAD_ONE_SHOT_H_
#define KEPLER_TOOLS_LOAD_ONE_SHOT_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tools/load/endpoint.h"
#include "tools/load/reply_reader.h"

namespace kepler::model::tools {

// OK when `reader` saw a complete reply (successful or not: see reader->ok());
// Unavailable when nothing accepts connections yet; DeadlineExceeded when the
// reply is not complete within `timeout`; the errno-derived status of a failed
// write or read.
[[nodiscard]] absl::Status ExchangeOnce(const Endpoint& endpoint, absl::string_view request,
                                        absl::Duration timeout, ReplyReader* reader);

}  // namespace kepler::model::tools

#endif  // KEPLER_TOOLS_LOAD_ONE_SHOT_H_
