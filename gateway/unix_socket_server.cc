#include "gateway/unix_socket_server.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "boost/asio.hpp"
#include "core/status_macros.h"
#include "gateway/internal/asio_lifecycle.h"
#include "gateway/json_framer.h"

namespace kepler::model::gateway {
namespace {

namespace asio = boost::asio;
using Protocol = asio::local::stream_protocol;
using ErrorCode = boost::system::error_code;
using Strand = asio::strand<asio::io_context::executor_type>;

constexpr size_t kReadChunk = 16 * 1024;
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

// State every connection of one server shares. Outlives the io_context.
struct Shared {
  UnixSocketServer::Options options;
  absl::Mutex mu;
  int open_connections ABSL_GUARDED_BY(mu) = 0;
};

// Whether a server is accepting on the socket file at `path`: a refused
// connect means the file is stale. Non-blocking, so a full backlog answers
// EAGAIN (alive) instead of blocking.
bool SocketIsLive(const std::string& path) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  path.copy(addr.sun_path, sizeof(addr.sun_path) - 1);
  int rc = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  bool live = rc == 0 || errno == EAGAIN || errno == EINPROGRESS;
  close(fd);
  return live;
}

// Removes a stale socket file at `path`, refusing anything that is not one.
absl::Status PrepareSocketPath(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return absl::OkStatus();
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot inspect ", path));
  }
  if (!S_ISSOCK(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing to replace ", path, ": it exists and is not a socket"));
  }
  if (SocketIsLive(path)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": another server is listening on this socket"));
  }
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    return absl::ErrnoToStatus(
        errno, absl::StrCat("cannot remove stale socket ", path));
  }
  return absl::OkStatus();
}

absl::Status ValidateOptions(const UnixSocketServer::Options& options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError("socket path is empty");
  }
  if (options.path.size() >= sizeof(sockaddr_un{}.sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "socket path is longer than ", sizeof(sockaddr_un{}.sun_path) - 1,
        " bytes: ", options.path));
  }
  if (options.threads < 1) {
    return absl::InvalidArgumentError("threads must be at least 1");
  }
  if (options.max_request_bytes == 0 ||
      options.read_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "max_request_bytes and read_timeout must be positive");
  }
  if (!options.handler) return absl::InvalidArgumentError("handler is unset");
  return absl::OkStatus();
}

absl::Status ToStatus(const ErrorCode& ec, absl::string_view what) {
  return absl::ErrnoToStatus(ec.value(),
                             absl::StrCat(what, ": ", ec.message()));
}

// One connection: read a frame, reply once, close. Every step runs on the
// socket's strand, so members need no lock. The timer bounds each phase; a
// timer firing for an earlier phase is ignored.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Protocol::socket socket, Shared* shared)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        shared_(shared) {
    absl::MutexLock lock(&shared_->mu);
    ++shared_->open_connections;
  }

  ~Session() {
    absl::MutexLock lock(&shared_->mu);
    --shared_->open_connections;
  }

  void Start() {
    asio::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      self->ArmTimer(Phase::kReading);
      self->DoRead();
    });
  }

 private:
  enum class Phase { kReading, kWriting, kDone };

  const UnixSocketServer::Options& options() const { return shared_->options; }

  void ArmTimer(Phase phase) {
    timer_.expires_after(absl::ToChronoNanoseconds(options().read_timeout));
    timer_.async_wait([self = shared_from_this(), phase](ErrorCode ec) {
      self->OnTimer(phase, ec);
    });
  }

  void OnTimer(Phase armed_for, ErrorCode ec) {
    if (ec || armed_for != phase_) return;
    if (phase_ == Phase::kWriting) return Close();
    ErrorCode ignored;
    socket_.cancel(ignored);  // the read completes as aborted and is ignored
    Respond(ErrorReply(absl::DeadlineExceededError(
        absl::StrCat("request not complete within ",
                     absl::FormatDuration(options().read_timeout), " (",
                     request_.size(), " bytes received)"))));
  }

  void DoRead() {
    socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](
                                                      ErrorCode ec, size_t n) {
      self->OnRead(ec, n);
    });
  }

  void OnRead(ErrorCode ec, size_t n) {
    if (phase_ != Phase::kReading) return;
    if (ec == asio::error::eof) return Respond(Handle(request_));
    if (ec) return Close();
    absl::string_view fresh(chunk_.data(), n);
    request_.append(fresh.data(), fresh.size());
    switch (framer_.Feed(fresh)) {
      case JsonFramer::State::kComplete:
        if (framer_.consumed() > options().max_request_bytes) break;
        request_.resize(framer_.consumed());
        return Respond(Handle(request_));
      case JsonFramer::State::kError:
        return Respond(Handle(request_));
      case JsonFramer::State::kNeedMore:
        if (request_.size() <= options().max_request_bytes) return DoRead();
        break;
    }
    Respond(ErrorReply(absl::ResourceExhaustedError(absl::StrCat(
        "request larger than ", options().max_request_bytes, " bytes"))));
  }

  // The handler's reply; an exception becomes an Internal error reply.
  std::string Handle(absl::string_view request) {
    try {
      return options().handler(request);
    } catch (const std::exception& e) {
      return ErrorReply(absl::InternalError(
          absl::StrCat("request handler failed: ", e.what())));
    } catch (...) {
      return ErrorReply(absl::InternalError("request handler failed"));
    }
  }

  std::string ErrorReply(const absl::Status& status) {
    try {
      if (options().error_reply) return options().error_reply(status);
    } catch (...) {
      // Fall through to the plain form.
    }
    return status.ToString();
  }

  // Writes the whole reply with one async_write, then closes.
  void Respond(std::string reply) {
    phase_ = Phase::kWriting;
    reply_ = std::move(reply);
    ArmTimer(Phase::kWriting);
    asio::async_write(
        socket_, asio::buffer(reply_),
        [self = shared_from_this()](ErrorCode, size_t) { self->Close(); });
  }

  void Close() {
    phase_ = Phase::kDone;
    ErrorCode ignored;
    timer_.cancel(ignored);
    socket_.shutdown(Protocol::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  Protocol::socket socket_;
  asio::steady_timer timer_;
  Shared* const shared_;
  Phase phase_ = Phase::kReading;
  std::array<char, kReadChunk> chunk_;
  std::string request_;
  std::string reply_;
  JsonFramer framer_;
};

}  // namespace

class UnixSocketServer::Impl {
 public:
  explicit Impl(const Options& options)
      : accept_strand_(asio::make_strand(io_)),
        acceptor_(accept_strand_),
        retry_timer_(accept_strand_) {
    shared_.options = options;
  }

  const std::string& path() const { return shared_.options.path; }

  absl::Status Start() {
    RETURN_IF_ERROR(PrepareSocketPath(path()));
    RETURN_IF_ERROR(Listen());
    work_.emplace(io_.get_executor());
    DoAccept();
    for (int i = 0; i < shared_.options.threads; ++i) {
      threads_.emplace_back([this] { RunLoop(); });
    }
    return absl::OkStatus();
  }

  void Stop() {
    {
      absl::MutexLock lock(&stop_mu_);
      if (stop_started_) return stop_mu_.Await(absl::Condition(&stopped_));
      stop_started_ = true;
    }
    CloseAcceptor();
    WaitForConnections();
    work_.reset();
    io_.stop();
    for (std::thread& thread : threads_) thread.join();
    RemoveSocketFile();
    absl::MutexLock lock(&stop_mu_);
    stopped_ = true;
  }

  void Wait() {
    absl::MutexLock lock(&stop_mu_);
    stop_mu_.Await(absl::Condition(&stopped_));
  }

 private:
  absl::Status Listen() {
    ErrorCode ec;
    acceptor_.open(Protocol(), ec);
    if (!ec) acceptor_.bind(Protocol::endpoint(path()), ec);
    if (ec) return ToStatus(ec, absl::StrCat("cannot bind ", path()));
    struct stat st;
    if (lstat(path().c_str(), &st) == 0) socket_file_ = st;
    acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      RemoveSocketFile();
      return ToStatus(ec, absl::StrCat("cannot listen on ", path()));
    }
    return absl::OkStatus();
  }

  void DoAccept() {
    auto socket = std::make_shared<Protocol::socket>(asio::make_strand(io_));
    acceptor_.async_accept(*socket, [this, socket](ErrorCode ec) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
      if (!ec) {
        std::make_shared<Session>(std::move(*socket), &shared_)->Start();
        return DoAccept();
      }
      internal::RetryAcceptLater(retry_timer_, kAcceptRetryDelay, [this] { DoAccept(); });
    });
  }

  // Runs handlers until the io_context stops; an exception thrown by a
  // handler must not terminate the process.
  void RunLoop() { internal::RunUntilStopped(io_, "unix socket server " + path()); }

  void CloseAcceptor() {
    internal::CloseAcceptorOn(accept_strand_, acceptor_, retry_timer_,
                              shared_.options.stop_timeout);
  }

  void WaitForConnections() {
    absl::MutexLock lock(&shared_.mu);
    auto idle = [](Shared* shared) ABSL_EXCLUSIVE_LOCKS_REQUIRED(shared->mu) {
      return shared->open_connections == 0;
    };
    shared_.mu.AwaitWithTimeout(absl::Condition(+idle, &shared_),
                                shared_.options.stop_timeout);
  }

  // Removes the socket file unless someone replaced it since bind.
  void RemoveSocketFile() {
    struct stat st;
    if (!socket_file_ || lstat(path().c_str(), &st) != 0) return;
    if (S_ISSOCK(st.st_mode) && st.st_ino == socket_file_->st_ino &&
        st.st_dev == socket_file_->st_dev) {
      unlink(path().c_str());
    }
  }

  // Declared before io_ so sessions destroyed with io_ can still use it.
  Shared shared_;
  asio::io_context io_;
  Strand accept_strand_;
  Protocol::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>>
      work_;
  std::vector<std::thread> threads_;
  std::optional<struct stat> socket_file_;
  absl::Mutex stop_mu_;
  bool stop_started_ ABSL_GUARDED_BY(stop_mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(stop_mu_) = false;
};

absl::StatusOr<std::unique_ptr<UnixSocketServer>> UnixSocketServer::Create(
    const Options& options) {
  RETURN_IF_ERROR(ValidateOptions(options));
  try {
    auto impl = std::make_unique<Impl>(options);
    RETURN_IF_ERROR(impl->Start());
    return std::unique_ptr<UnixSocketServer>(
        new UnixSocketServer(std::move(impl)));
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("cannot start unix socket server: ", e.what()));
  }
}

UnixSocketServer::UnixSocketServer(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

UnixSocketServer::~UnixSocketServer() { Stop(); }

void UnixSocketServer::Stop() { impl_->Stop(); }

void UnixSocketServer::Wait() { impl_->Wait(); }

const std::string& UnixSocketServer::path() const { return impl_->path(); }

}  // namespace kepler::model::gateway
