// Lifecycle pieces both Asio transports share (HTTP server, unix socket server): running the
// pool without letting a handler's exception end the process, retrying a failed accept later,
// and closing the acceptor from its own strand. Included only by those two .cc files, so Boost
// stays out of every public header.
#ifndef KEPLER_GATEWAY_INTERNAL_ASIO_LIFECYCLE_H_
#define KEPLER_GATEWAY_INTERNAL_ASIO_LIFECYCLE_H_

#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "boost/asio.hpp"

namespace kepler::model::gateway::internal {

// Runs `io` until it stops; an exception escaping a handler is logged with `name`, not fatal.
inline void RunUntilStopped(boost::asio::io_context& io, const std::string& name) {
  for (;;) {
    try {
      io.run();
      return;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: %s\n", name.c_str(), e.what());
    }
  }
}

// After a failed accept (out of descriptors or similar): calls `accept` again after `delay`
// rather than spinning.
template <typename Accept>
void RetryAcceptLater(boost::asio::steady_timer& timer, std::chrono::milliseconds delay,
                      Accept accept) {
  timer.expires_after(delay);
  timer.async_wait([accept](boost::system::error_code ec) {
    if (!ec) accept();
  });
}

// Closes `acceptor` and cancels `retry_timer` on `strand` (where accepts run), waiting at most
// `timeout` for it to happen.
template <typename Strand, typename Acceptor>
void CloseAcceptorOn(Strand& strand, Acceptor& acceptor, boost::asio::steady_timer& retry_timer,
                     absl::Duration timeout) {
  auto closed = std::make_shared<absl::Notification>();
  boost::asio::post(strand, [&acceptor, &retry_timer, closed] {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    retry_timer.cancel(ignored);
    closed->Notify();
  });
  closed->WaitForNotificationWithTimeout(timeout);
}

}  // namespace kepler::model::gateway::internal

#endif  // KEPLER_GATEWAY_INTERNAL_ASIO_LIFECYCLE_H_
