// The load generator's engine: many connections on one epoll loop, closed or
// open loop, latency measured without coordinated omission.
//
// What: sends the same request over `connections` connections to one endpoint
// for a fixed time (or a fixed number of requests) and records every reply's
// latency and outcome (via a ReplyReader) into a LoadResult.
// Why: issues 3 and 4 ask for maximum throughput (closed loop: each connection
// sends its next request as soon as the reply arrives) and for tail latency at
// a fixed rate (open loop). In the open loop, request k is due at
// start + k / rate whatever happened before, the next idle connection sends it,
// and its latency is measured from that due time, not from the moment it was
// actually sent: a stalled server therefore shows up as latency of the
// requests it delayed (no coordinated omission, as in wrk2). A connection is
// reused while the reply reader says so (HTTP keep-alive) and re-opened for
// the next request otherwise (the estimator socket: a new connection per
// request, connect time included in the latency).
// How to use:
//   LoadOptions options;
//   options.endpoint = *ParseEndpoint("127.0.0.1:8100");
//   options.request = raw_http_request_bytes;
//   options.new_reader = [] { return std::make_unique<HttpReplyReader>(); };
//   options.connections = 16;
//   ASSIGN_OR_RETURN(LoadResult result, RunLoad(options, /*threads=*/1));
// Requests due during `warmup` are sent but not recorded. After the run, the
// loop waits up to `drain_timeout` for replies in flight; those still missing
// count as "unfinished at end". In the open loop, requests due before the end
// that found no idle connection count as "not sent: all connections busy".
// Connects are blocking (loopback and unix connects complete at once unless
// the server's backlog is full, which is the server's limit anyway).
//
// Thread-safety: RunLoadLoop runs one loop on the calling thread; RunLoad runs
// `threads` independent loops, each with its share of connections, rate and
// max_requests, and merges their results. new_reader must be thread-safe.
#ifndef KEPLER_TOOLS_LOAD_LOAD_LOOP_H_
#define KEPLER_TOOLS_LOAD_LOAD_LOOP_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/load/endpoint.h"
#include "tools/load/load_report.h"
#include "tools/load/reply_reader.h"

namespace kepler::model::tools {

struct LoadOptions {
  // Where to connect. Required.
  Endpoint endpoint;
  // The bytes sent as each request. Required.
  std::string request;
  // Makes the reply reader of one connection. Required.
  std::function<std::unique_ptr<ReplyReader>()> new_reader;
  // Concurrent connections (closed loop: requests in flight). Default 1.
  int connections = 1;
  // Requests per second (open loop); 0 runs the closed loop. Default 0.
  double rate = 0;
  // Time at the start whose requests are not recorded. Default 0.
  absl::Duration warmup = absl::ZeroDuration();
  // Measured time after the warm-up. Default 10 s.
  absl::Duration duration = absl::Seconds(10);
  // When positive, stop sending after this many recorded requests (the
  // duration still bounds the run). Default 0.
  int64_t max_requests = 0;
  // How long to wait for replies in flight at the end. Default 5 s.
  absl::Duration drain_timeout = absl::Seconds(5);
};

// Runs one loop on the calling thread. InvalidArgument for bad options; the
// status of a failed epoll or timer call. Connection and protocol failures
// are outcomes in the result, not errors.
[[nodiscard]] absl::StatusOr<LoadResult> RunLoadLoop(const LoadOptions& options);

// Runs `threads` loops concurrently (connections, rate and max_requests split
// among them) and merges their results.
[[nodiscard]] absl::StatusOr<LoadResult> RunLoad(const LoadOptions& options, int threads);

}  // namespace kepler::model::tools

#endif  // KEPLER_TOOLS_LOAD_LOAD_LOOP_H_
