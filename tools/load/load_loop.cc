#include "tools/load/load_loop.h"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <deque>
#include <limits>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace kepler::model::tools {
namespace {

constexpr uint64_t kTimerTag = std::numeric_limits<uint64_t>::max();
constexpr int64_t kConnectRetryNs = 1000000;  // after a failed connect, 1 ms
constexpr size_t kReadChunk = 64 * 1024;

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

int64_t Ns(absl::Duration d) { return absl::ToInt64Nanoseconds(d); }

absl::Status Validate(const LoadOptions& options) {
  if (options.request.empty() || !options.new_reader) {
    return absl::InvalidArgumentError("request and new_reader are required");
  }
  if (options.connections < 1 || options.rate < 0 || options.duration <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("connections >= 1, rate >= 0 and duration > 0 required");
  }
  return absl::OkStatus();
}

struct Slot {
  int fd = -1;
  bool busy = false;
  bool want_write = false;
  int64_t scheduled_ns = 0;  // when the current request was due
  int64_t ready_ns = 0;      // idle slots: earliest time to send again
  size_t sent = 0;
  std::unique_ptr<ReplyReader> reader;
};

// One loop; see load_loop.h. All times are CLOCK_MONOTONIC nanoseconds.
class LoadLoop {
 public:
  explicit LoadLoop(const LoadOptions& options) : options_(options) {}

  ~LoadLoop() {
    for (Slot& slot : slots_) CloseSlot(slot);
    if (timer_fd_ >= 0) close(timer_fd_);
    if (epoll_fd_ >= 0) close(epoll_fd_);
  }

  absl::StatusOr<LoadResult> Run() {
    RETURN_IF_ERROR(Setup());
    for (;;) {
      IssueDue(NowNs());
      if (Finished(NowNs())) break;
      ArmTimer(NextWake());
      RETURN_IF_ERROR(WaitAndDispatch());
    }
    return Result();
  }

 private:
  absl::Status Setup() {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    timer_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (epoll_fd_ < 0 || timer_fd_ < 0) return absl::ErrnoToStatus(errno, "epoll/timerfd");
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = kTimerTag;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, timer_fd_, &event) != 0) {
      return absl::ErrnoToStatus(errno, "epoll_ctl timer");
    }
    slots_.resize(options_.connections);
    for (size_t i = 0; i < slots_.size(); ++i) {
      slots_[i].reader = options_.new_reader();
      idle_.push_back(i);
    }
    origin_ns_ = NowNs();
    measure_from_ns_ = origin_ns_ + Ns(options_.warmup);
    end_ns_ = measure_from_ns_ + Ns(options_.duration);
    return absl::OkStatus();
  }

  // Stops sending at the end or after max_requests; done once nothing is in
  // flight or the drain time is over.
  bool Finished(int64_t now) {
    if (!stopping_ && now >= end_ns_) StopSending(end_ns_);
    if (!stopping_) return false;
    if (busy_ == 0) return true;
    if (now < stop_ns_ + Ns(options_.drain_timeout)) return false;
    for (const Slot& slot : slots_) {
      if (slot.busy && slot.scheduled_ns >= measure_from_ns_) Count("unfinished at end", false);
    }
    return true;
  }

  void StopSending(int64_t now) {
    stopping_ = true;
    stop_ns_ = now;
    if (options_.rate <= 0 || options_.max_requests > 0) return;
    // Requests due before the end that never found an idle connection.
    const int64_t due = static_cast<int64_t>(std::ceil((end_ns_ - origin_ns_) * RatePerNs()));
    for (int64_t k = ticket_; k < due; ++k) Count("not sent: all connections busy", false);
  }

  double RatePerNs() const { return options_.rate / 1e9; }

  int64_t TicketDue(int64_t ticket) const {
    return origin_ns_ + static_cast<int64_t>(std::llround(ticket / RatePerNs()));
  }

  void IssueDue(int64_t now) {
    while (!stopping_ && !idle_.empty() && slots_[idle_.front()].ready_ns <= now) {
      int64_t scheduled = now;
      if (options_.rate > 0) {
        scheduled = TicketDue(ticket_);
        if (scheduled > now) return;
        ++ticket_;
      }
      size_t index = idle_.front();
      idle_.pop_front();
      if (scheduled >= measure_from_ns_ && ++issued_ == options_.max_requests) StopSending(now);
      Start(index, scheduled);
    }
  }

  void Start(size_t index, int64_t scheduled) {
    Slot& slot = slots_[index];
    slot.scheduled_ns = scheduled;
    slot.reader->Reset();
    if (slot.fd < 0) {
      absl::Status opened = Open(index);
      if (!opened.ok()) {
        Record(scheduled, NowNs(), absl::StrCat("connect: ", opened.message()), false);
        slot.ready_ns = NowNs() + kConnectRetryNs;
        idle_.push_back(index);
        return;
      }
    }
    slot.busy = true;
    ++busy_;
    slot.sent = 0;
    WriteMore(index);
  }

  absl::Status Open(size_t index) {
    ASSIGN_OR_RETURN(int fd, Connect(options_.endpoint));
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    slots_[index].fd = fd;
    slots_[index].want_write = false;
    return Watch(index, EPOLL_CTL_ADD, false);
  }

  absl::Status Watch(size_t index, int op, bool want_write) {
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP | (want_write ? EPOLLOUT : 0);
    event.data.u64 = index;
    if (epoll_ctl(epoll_fd_, op, slots_[index].fd, &event) != 0) {
      return absl::ErrnoToStatus(errno, "epoll_ctl");
    }
    slots_[index].want_write = want_write;
    return absl::OkStatus();
  }

  void WriteMore(size_t index) {
    Slot& slot = slots_[index];
    const std::string& request = options_.request;
    while (slot.sent < request.size()) {
      ssize_t n = send(slot.fd, request.data() + slot.sent, request.size() - slot.sent,
                       MSG_NOSIGNAL);
      if (n > 0) {
        slot.sent += static_cast<size_t>(n);
      } else if (errno == EAGAIN || errno == EINTR) {
        if (!slot.want_write) (void)Watch(index, EPOLL_CTL_MOD, true);
        return;
      } else {
        return Fail(index, absl::StrCat("write: ", strerror(errno)));
      }
    }
    if (slot.want_write) (void)Watch(index, EPOLL_CTL_MOD, false);
  }

  void ReadMore(size_t index) {
    Slot& slot = slots_[index];
    for (;;) {
      ssize_t n = read(slot.fd, buffer_.data(), buffer_.size());
      if (n > 0 && !slot.busy) return Fail(index, "unexpected bytes");
      if (n > 0) {
        if (slot.reader->Feed({buffer_.data(), static_cast<size_t>(n)}) ==
            ReplyReader::State::kDone) {
          return Complete(index);
        }
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
      if (n < 0) return Fail(index, absl::StrCat("read: ", strerror(errno)));
      if (!slot.busy) return CloseSlot(slot);  // an idle keep-alive connection closed
      slot.reader->EndOfStream();
      return Complete(index);
    }
  }

  void Complete(size_t index) {
    Slot& slot = slots_[index];
    const ReplyReader& reader = *slot.reader;
    Record(slot.scheduled_ns, NowNs(), reader.label(), reader.ok());
    if (!reader.reusable()) CloseSlot(slot);
    Release(index);
  }

  // A transport failure: the connection is dropped and the request recorded.
  void Fail(size_t index, std::string label) {
    Slot& slot = slots_[index];
    CloseSlot(slot);
    if (!slot.busy) return;
    Record(slot.scheduled_ns, NowNs(), label, false);
    Release(index);
  }

  void Release(size_t index) {
    Slot& slot = slots_[index];
    slot.busy = false;
    --busy_;
    slot.ready_ns = 0;
    idle_.push_back(index);
  }

  void CloseSlot(Slot& slot) {
    if (slot.fd >= 0) close(slot.fd);
    slot.fd = -1;
  }

  void Record(int64_t scheduled, int64_t done, const std::string& label, bool ok) {
    if (scheduled < measure_from_ns_) return;
    result_.latencies_ns.push_back(done - scheduled);
    Count(label, ok);
    last_done_ns_ = std::max(last_done_ns_, done);
  }

  void Count(const std::string& label, bool ok) {
    ++result_.outcomes[label];
    if (ok) ++result_.ok;
  }

  // The next time the loop must wake without socket events.
  int64_t NextWake() const {
    if (stopping_) return stop_ns_ + Ns(options_.drain_timeout);
    int64_t wake = end_ns_;
    if (!idle_.empty()) {
      int64_t ready = slots_[idle_.front()].ready_ns;
      if (options_.rate > 0) ready = std::max(ready, TicketDue(ticket_));
      wake = std::min(wake, ready);
    }
    return wake;
  }

  void ArmTimer(int64_t when) {
    if (when == armed_ns_) return;
    armed_ns_ = when;
    itimerspec spec{};
    spec.it_value.tv_sec = std::max<int64_t>(when, 1) / 1000000000;
    spec.it_value.tv_nsec = std::max<int64_t>(when, 1) % 1000000000;
    timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME, &spec, nullptr);
  }

  absl::Status WaitAndDispatch() {
    std::array<epoll_event, 64> events;
    int n = epoll_wait(epoll_fd_, events.data(), events.size(), -1);
    if (n < 0 && errno == EINTR) return absl::OkStatus();
    if (n < 0) return absl::ErrnoToStatus(errno, "epoll_wait");
    for (int i = 0; i < n; ++i) Dispatch(events[i]);
    return absl::OkStatus();
  }

  void Dispatch(const epoll_event& event) {
    if (event.data.u64 == kTimerTag) {
      uint64_t expirations;
      (void)!read(timer_fd_, &expirations, sizeof(expirations));
      armed_ns_ = -1;
      return;
    }
    size_t index = event.data.u64;
    if (slots_[index].fd < 0) return;  // closed earlier in this batch
    if ((event.events & EPOLLOUT) && slots_[index].busy) WriteMore(index);
    if (slots_[index].fd >= 0 && (event.events & ~EPOLLOUT)) ReadMore(index);
  }

  LoadResult Result() {
    int64_t window = last_done_ns_ > measure_from_ns_ ? last_done_ns_ - measure_from_ns_
                                                       : Ns(options_.duration);
    result_.seconds = window / 1e9;
    return std::move(result_);
  }

  const LoadOptions& options_;
  int epoll_fd_ = -1;
  int timer_fd_ = -1;
  std::vector<Slot> slots_;
  std::deque<size_t> idle_;
  int busy_ = 0;
  int64_t origin_ns_ = 0, measure_from_ns_ = 0, end_ns_ = 0;
  int64_t stop_ns_ = 0, last_done_ns_ = 0;
  int64_t armed_ns_ = -1;  // -1: the timer is not armed
  bool stopping_ = false;
  int64_t ticket_ = 0;
  int64_t issued_ = 0;
  std::array<char, kReadChunk> buffer_;
  LoadResult result_;
};

// The i-th of n shares of `total`, the remainder going to the first shares.
int64_t Share(int64_t total, int i, int n) { return total / n + (i < total % n ? 1 : 0); }

}  // namespace

absl::StatusOr<LoadResult> RunLoadLoop(const LoadOptions& options) {
  RETURN_IF_ERROR(Validate(options));
  return LoadLoop(options).Run();
}

absl::StatusOr<LoadResult> RunLoad(const LoadOptions& options, int threads) {
  RETURN_IF_ERROR(Validate(options));
  threads = std::clamp(threads, 1, options.connections);
  if (options.max_requests > 0 && options.max_requests < threads) {
    threads = static_cast<int>(options.max_requests);
  }
  std::vector<LoadOptions> parts(threads, options);
  std::vector<absl::StatusOr<LoadResult>> results(threads);
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) {
    parts[i].connections = static_cast<int>(Share(options.connections, i, threads));
    parts[i].rate = options.rate / threads;
    parts[i].max_requests = Share(options.max_requests, i, threads);
    workers.emplace_back([&, i] { results[i] = RunLoadLoop(parts[i]); });
  }
  for (std::thread& worker : workers) worker.join();
  LoadResult total;
  for (auto& result : results) {
    if (!result.ok()) return result.status();
    Merge(*std::move(result), &total);
  }
  return total;
}

}  // namespace kepler::model::tools
