#include "gateway/http_server.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "boost/asio.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "core/status_macros.h"
#include "gateway/internal/asio_lifecycle.h"
#include "gateway/internal/http_router.h"

namespace kepler::model::gateway {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using ErrorCode = boost::system::error_code;
using Strand = asio::strand<asio::io_context::executor_type>;
using BeastRequest = http::request<http::string_body>;

constexpr uint32_t kMaxHeaderBytes = 64 * 1024;
// After an error response, unread request bytes are drained this long (and
// at most this much) before closing, so the client's TCP stack does not
// discard the response on a reset.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr size_t kLingerBytes = 4u << 20;
// Beast reads a body at most the read buffer's free capacity at a time (at least 512 bytes, at
// most 64 KiB). The buffer is left small by the header, so bodies over kLargeBody get a buffer
// of kBodyReadBytes first: a 30 MB training request otherwise arrives in ~60,000 reads, each
// re-arming the timer and waking a thread (0.5-1 s on loopback instead of ~30 ms).
constexpr uint64_t kLargeBody = 64 * 1024;
constexpr size_t kBodyReadBytes = 64 * 1024;

std::string ToString(beast::string_view s) { return {s.data(), s.size()}; }

HttpResponse PlainError(int status, absl::string_view message) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = absl::StrCat(message, "\n");
  return response;
}

// What all connections of one server share. Outlives the io_context.
struct Shared {
  HttpServer::Options options;
  internal::HttpRouter router;
  std::atomic<bool> stopping{false};
  absl::Mutex mu;
  int busy ABSL_GUARDED_BY(mu) = 0;  // requests read and not yet answered

  HttpResponse Error(int status, absl::string_view message) const {
    try {
      if (options.error_response)
        return options.error_response(status, message);
    } catch (...) {
      // Fall back to the plain form.
    }
    return PlainError(status, message);
  }
};

// Counts one request as in flight for Stop() while it lives.
class BusyToken {
 public:
  explicit BusyToken(Shared* shared) : shared_(shared) {
    absl::MutexLock lock(&shared_->mu);
    ++shared_->busy;
  }
  ~BusyToken() {
    absl::MutexLock lock(&shared_->mu);
    --shared_->busy;
  }
  BusyToken(const BusyToken&) = delete;
  BusyToken& operator=(const BusyToken&) = delete;

 private:
  Shared* shared_;
};

HttpRequest ToHttpRequest(BeastRequest&& beast_request) {
  HttpRequest request;
  request.method = ToString(beast_request.method_string());
  request.target = ToString(beast_request.target());
  ParsedTarget parsed = ParseTarget(request.target);
  request.path = std::move(parsed.path);
  request.query = std::move(parsed.query);
  for (const auto& field : beast_request) {
    request.headers.emplace_back(ToString(field.name_string()),
                                 ToString(field.value()));
  }
  request.body = std::move(beast_request.body());
  return request;
}

// Builds the wire response; throws std::exception on values Beast rejects
// (e.g. a body on a 204).
http::response<http::string_body> ToBeastResponse(HttpResponse&& response,
                                                  unsigned version,
                                                  bool keep_alive) {
  http::response<http::string_body> out;
  out.version(version);
  bool valid = response.status >= 100 && response.status <= 999;
  out.result(valid ? response.status : 500);
  if (!response.content_type.empty()) {
    out.set(http::field::content_type, response.content_type);
  }
  for (const auto& [name, value] : response.headers) out.insert(name, value);
  out.body() = std::move(response.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

// One connection: read a request, dispatch, write the response, repeat while
// keep-alive. Every step runs on the connection's strand, so members need no
// lock; the stream's expiry bounds each read and write.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Shared* shared)
      : stream_(std::move(socket)), shared_(shared) {}

  void Start() {
    asio::dispatch(stream_.get_executor(),
                   [self = shared_from_this()] { self->ReadHeader(); });
  }

 private:
  const HttpServer::Options& options() const { return shared_->options; }

  void ExpireAfter(absl::Duration timeout) {
    stream_.expires_after(absl::ToChronoNanoseconds(timeout));
  }

  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    parser_->body_limit(options().max_body_bytes);
    ExpireAfter(options().idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](ErrorCode ec, size_t) {
                              self->OnHeader(ec);
                            });
  }

  void OnHeader(ErrorCode ec) {
    if (ec) return OnReadError(ec);
    busy_.emplace(shared_);
    version_ = parser_->get().version();
    beast::string_view expect = parser_->get()[http::field::expect];
    if (!absl::EqualsIgnoreCase(absl::string_view(expect.data(), expect.size()),
                                "100-continue")) {
      return ReadBody();
    }
    continue_.emplace(http::status::continue_, version_);
    http::async_write(stream_, *continue_,
                      [self = shared_from_this()](ErrorCode ec, size_t) {
                        if (ec) return self->Close();
                        self->ReadBody();
                      });
  }

  void ReadBody() {
    const boost::optional<uint64_t> length = parser_->content_length();
    if (!length || *length > kLargeBody) buffer_.reserve(kBodyReadBytes);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](ErrorCode ec, size_t) {
                       self->OnRequest(ec);
                     });
  }

  void OnRequest(ErrorCode ec) {
    if (ec) return OnReadError(ec);
    bool keep_alive = parser_->get().keep_alive() && !shared_->stopping;
    HttpRequest request = ToHttpRequest(parser_->release());
    HttpResponse response = shared_->router.Dispatch(
        request, [this](int status, absl::string_view message) {
          return shared_->Error(status, message);
        });
    Send(std::move(response), keep_alive);
  }

  // A failed read: answer protocol errors, drop the connection otherwise.
  void OnReadError(ErrorCode ec) {
    if (ec == http::error::body_limit) {
      return Send(
          shared_->Error(413, absl::StrCat("request body larger than ",
                                           options().max_body_bytes, " bytes")),
          false);
    }
    if (ec == http::error::header_limit) {
      return Send(shared_->Error(431, "request headers too large"), false);
    }
    bool protocol_error =
        ec.category() ==
        http::make_error_code(http::error::bad_method).category();
    if (protocol_error && ec != http::error::end_of_stream) {
      return Send(shared_->Error(
                      400, absl::StrCat("malformed request: ", ec.message())),
                  false);
    }
    Close();
  }

  void Send(HttpResponse response, bool keep_alive) {
    try {
      response_ = ToBeastResponse(std::move(response), version_, keep_alive);
    } catch (const std::exception& e) {
      keep_alive = false;
      response_ = ToBeastResponse(
          PlainError(500, absl::StrCat("invalid response: ", e.what())),
          version_, keep_alive);
    }
    ExpireAfter(options().idle_timeout);
    http::async_write(
        stream_, response_,
        [self = shared_from_this(), keep_alive](ErrorCode ec, size_t) {
          self->OnWrite(ec, keep_alive);
        });
  }

  void OnWrite(ErrorCode ec, bool keep_alive) {
    busy_.reset();
    continue_.reset();
    if (ec) return Close();
    if (keep_alive && !shared_->stopping) return ReadHeader();
    Linger();
  }

  // Closes our side for writing, then discards what the client still sends
  // (bounded in time and bytes) before closing.
  void Linger() {
    ErrorCode ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTime);
    DrainSome();
  }

  void DrainSome() {
    buffer_.clear();
    stream_.async_read_some(
        buffer_.prepare(16 * 1024),
        [self = shared_from_this()](ErrorCode ec, size_t n) {
          self->drained_ += n;
          if (ec || self->drained_ > kLingerBytes) return self->Close();
          self->DrainSome();
        });
  }

  void Close() {
    ErrorCode ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
    busy_.reset();
  }

  beast::tcp_stream stream_;
  Shared* const shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  http::response<http::string_body> response_;
  std::optional<BusyToken> busy_;
  unsigned version_ = 11;
  size_t drained_ = 0;
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl()
      : accept_strand_(asio::make_strand(io_)),
        acceptor_(accept_strand_),
        retry_timer_(accept_strand_) {}

  absl::Status Start(Options options) {
    for (const Route& route : options.routes) {
      RETURN_IF_ERROR(
          shared_.router.Add(route.method, route.path, route.handler));
    }
    shared_.options = std::move(options);
    RETURN_IF_ERROR(Listen());
    work_.emplace(io_.get_executor());
    DoAccept();
    for (int i = 0; i < shared_.options.threads; ++i) {
      threads_.emplace_back([this] { RunLoop(); });
    }
    return absl::OkStatus();
  }

  int port() const { return port_; }

  void Stop() {
    {
      absl::MutexLock lock(&stop_mu_);
      if (stop_started_) return stop_mu_.Await(absl::Condition(&stopped_));
      stop_started_ = true;
    }
    shared_.stopping = true;
    CloseAcceptor();
    WaitForBusyRequests();
    work_.reset();
    io_.stop();
    for (std::thread& thread : threads_) thread.join();
    absl::MutexLock lock(&stop_mu_);
    stopped_ = true;
  }

  void Wait() {
    absl::MutexLock lock(&stop_mu_);
    stop_mu_.Await(absl::Condition(&stopped_));
  }

 private:
  absl::Status Listen() {
    const Options& options = shared_.options;
    ErrorCode ec;
    asio::ip::address address = asio::ip::make_address(options.address, ec);
    if (ec) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad bind address '", options.address, "'"));
    }
    tcp::endpoint endpoint(address, static_cast<uint16_t>(options.port));
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec) port_ = acceptor_.local_endpoint(ec).port();
    if (ec) {
      return absl::ErrnoToStatus(
          ec.value(), absl::StrCat("cannot listen on ", options.address, ":",
                                   options.port, ": ", ec.message()));
    }
    return absl::OkStatus();
  }

  void DoAccept() {
    acceptor_.async_accept(
        asio::make_strand(io_), [this](ErrorCode ec, tcp::socket socket) {
          if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
            return;
          }
          if (!ec) {
            std::make_shared<Session>(std::move(socket), &shared_)->Start();
            return DoAccept();
          }
          internal::RetryAcceptLater(retry_timer_, std::chrono::milliseconds(100),
                                     [this] { DoAccept(); });
        });
  }

  // Runs handlers until the io_context stops; an exception escaping a
  // handler must not terminate the process.
  void RunLoop() {
    internal::RunUntilStopped(io_, absl::StrCat("http server on port ", port_));
  }

  void CloseAcceptor() {
    internal::CloseAcceptorOn(accept_strand_, acceptor_, retry_timer_,
                              shared_.options.stop_timeout);
  }

  void WaitForBusyRequests() {
    absl::MutexLock lock(&shared_.mu);
    auto idle = [](Shared* shared) ABSL_EXCLUSIVE_LOCKS_REQUIRED(shared->mu) {
      return shared->busy == 0;
    };
    shared_.mu.AwaitWithTimeout(absl::Condition(+idle, &shared_),
                                shared_.options.stop_timeout);
  }

  // Declared before io_ so sessions destroyed with io_ can still use it.
  Shared shared_;
  asio::io_context io_;
  Strand accept_strand_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>>
      work_;
  std::vector<std::thread> threads_;
  int port_ = 0;
  absl::Mutex stop_mu_;
  bool stop_started_ ABSL_GUARDED_BY(stop_mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(stop_mu_) = false;
};

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Create(
    Options options) {
  if (options.threads < 1) {
    return absl::InvalidArgumentError("threads must be at least 1");
  }
  if (options.port < 0 || options.port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("port out of range: ", options.port));
  }
  try {
    auto impl = std::make_unique<Impl>();
    RETURN_IF_ERROR(impl->Start(std::move(options)));
    return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("cannot start http server: ", e.what()));
  }
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

int HttpServer::port() const { return impl_->port(); }

void HttpServer::Stop() { impl_->Stop(); }

void HttpServer::Wait() { impl_->Wait(); }

}  // namespace kepler::model::gateway
