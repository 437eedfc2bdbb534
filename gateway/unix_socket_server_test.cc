// Tests for UnixSocketServer against real client sockets. The behaviour under
// test is docs/socket-framing.md. Timeouts here only guard against hangs.
#include "gateway/unix_socket_server.h"

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace kepler::model::gateway {
namespace {

constexpr char kRequest[] =
    R"({"metrics":["bpf_cpu_time_ms"],"values":[[0]],"output_type":"AbsPower",)"
    R"("source":"acpi","system_features":["cpu_architecture"],)"
    R"("system_values":["Sky Lake"],"trainer_name":"","filter":"a}\"{"})";

sockaddr_un Address(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  path.copy(addr.sun_path, sizeof(addr.sun_path) - 1);
  return addr;
}

// A blocking client connection with a 20 s receive timeout as a hang guard.
class Client {
 public:
  explicit Client(const std::string& path)
      : fd_(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    timeval guard{20, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof(guard));
    sockaddr_un addr = Address(path);
    connected_ =
        connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~Client() { close(fd_); }

  bool connected() const { return connected_; }

  // Writes all of `data`; false once the server has closed.
  bool Write(absl::string_view data) {
    while (!data.empty()) {
      ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(n);
    }
    return true;
  }

  void HalfClose() { shutdown(fd_, SHUT_WR); }

  // Reads until the server closes (or the hang guard fires).
  std::string ReadToEnd() {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = recv(fd_, buf, sizeof(buf), 0)) > 0) out.append(buf, n);
    return out;
  }

 private:
  int fd_;
  bool connected_ = false;
};

std::string Exchange(const std::string& path, absl::string_view request) {
  Client client(path);
  if (!client.connected() || !client.Write(request)) return "<no connection>";
  return client.ReadToEnd();
}

class UnixSocketServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Short on purpose: sun_path holds 108 bytes; TEST_TMPDIR may be longer.
    char dir[] = "/tmp/kt-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    options_.path = dir_ + "/e.sock";
    options_.handler = [this](absl::string_view request) {
      absl::MutexLock lock(&mu_);
      requests_.emplace_back(request);
      return absl::StrCat("reply:", request);
    };
    options_.error_reply = [](const absl::Status& status) {
      return absl::StrCat("error:", absl::StatusCodeToString(status.code()),
                          ":", status.message());
    };
  }

  void TearDown() override {
    server_.reset();
    unlink(options_.path.c_str());
    rmdir(dir_.c_str());
  }

  void StartServer() {
    absl::StatusOr<std::unique_ptr<UnixSocketServer>> server =
        UnixSocketServer::Create(options_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }

  std::vector<std::string> Requests() {
    absl::MutexLock lock(&mu_);
    return requests_;
  }

  std::string dir_;
  UnixSocketServer::Options options_;
  std::unique_ptr<UnixSocketServer> server_;
  absl::Mutex mu_;
  std::vector<std::string> requests_ ABSL_GUARDED_BY(mu_);
};

bool IsSocket(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

TEST_F(UnixSocketServerTest, AnswersOneWriteWithoutNewlineOrHalfClose) {
  StartServer();
  EXPECT_EQ(Exchange(options_.path, kRequest),
            absl::StrCat("reply:", kRequest));
  EXPECT_EQ(Requests(), std::vector<std::string>{kRequest});
}

TEST_F(UnixSocketServerTest, AnswersRequestSplitIntoTinyWritesWithPauses) {
  StartServer();
  Client client(options_.path);
  ASSERT_TRUE(client.connected());
  absl::string_view rest = kRequest;
  while (!rest.empty()) {
    ASSERT_TRUE(client.Write(rest.substr(0, 3)));
    rest.remove_prefix(std::min<size_t>(3, rest.size()));
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(client.ReadToEnd(), absl::StrCat("reply:", kRequest));
  EXPECT_EQ(Requests(), std::vector<std::string>{kRequest});
}

TEST_F(UnixSocketServerTest, BytesAfterTheObjectAreNotPartOfTheRequest) {
  StartServer();
  EXPECT_EQ(Exchange(options_.path, " {\"a\":[1]}\n{\"b\":2}"),
            "reply: {\"a\":[1]}");
}

TEST_F(UnixSocketServerTest, HalfCloseHandsWhatWasReadToTheHandler) {
  StartServer();
  Client client(options_.path);
  ASSERT_TRUE(client.Write("{\"a\":"));
  client.HalfClose();
  EXPECT_EQ(client.ReadToEnd(), "reply:{\"a\":");
}

TEST_F(UnixSocketServerTest, EmptyConnectionDoesNotStopTheServer) {
  StartServer();
  { Client client(options_.path); }  // connect, then close
  {
    Client client(options_.path);
    client.HalfClose();
    EXPECT_EQ(client.ReadToEnd(), "reply:");
  }
  EXPECT_EQ(Exchange(options_.path, kRequest),
            absl::StrCat("reply:", kRequest));
}

TEST_F(UnixSocketServerTest, FramingErrorHandsWhatWasReadToTheHandler) {
  StartServer();
  EXPECT_EQ(Exchange(options_.path, "]"), "reply:]");
}

TEST_F(UnixSocketServerTest, StalledClientDoesNotDelayAnother) {
  options_.threads = 1;
  StartServer();
  Client stalled(options_.path);
  ASSERT_TRUE(stalled.Write("{\"stalled\":"));
  // The stalled connection is still open while this one is answered.
  EXPECT_EQ(Exchange(options_.path, "{}"), "reply:{}");
  stalled.HalfClose();
  EXPECT_EQ(stalled.ReadToEnd(), "reply:{\"stalled\":");
}

TEST_F(UnixSocketServerTest, StalledClientGetsDeadlineErrorAndIsClosed) {
  options_.read_timeout = absl::Milliseconds(100);
  StartServer();
  Client stalled(options_.path);
  ASSERT_TRUE(stalled.Write("{\"stalled\":"));
  std::string reply = stalled.ReadToEnd();  // returns once the server closes
  EXPECT_TRUE(absl::StartsWith(reply, "error:DEADLINE_EXCEEDED:")) << reply;
  EXPECT_TRUE(Requests().empty());
}

TEST_F(UnixSocketServerTest, OversizeRequestGetsErrorReplyNotHandler) {
  options_.max_request_bytes = 1024;
  StartServer();
  std::string open_object = "{\"a\":\"" + std::string(4096, 'x');
  std::string reply = Exchange(options_.path, open_object);
  EXPECT_TRUE(absl::StartsWith(reply, "error:RESOURCE_EXHAUSTED:")) << reply;
  std::string complete = "{\"a\":\"" + std::string(2000, 'x') + "\"}";
  reply = Exchange(options_.path, complete);
  EXPECT_TRUE(absl::StartsWith(reply, "error:RESOURCE_EXHAUSTED:")) << reply;
  EXPECT_TRUE(Requests().empty());
  // A request at the limit is still served.
  std::string at_limit = "{\"a\":\"" + std::string(1024 - 8, 'x') + "\"}";
  EXPECT_EQ(Exchange(options_.path, at_limit), "reply:" + at_limit);
}

TEST_F(UnixSocketServerTest, HandlerExceptionBecomesInternalErrorReply) {
  options_.handler = [](absl::string_view) -> std::string {
    throw std::runtime_error("boom");
  };
  StartServer();
  std::string reply = Exchange(options_.path, "{}");
  EXPECT_TRUE(absl::StartsWith(reply, "error:INTERNAL:")) << reply;
  EXPECT_TRUE(absl::StrContains(reply, "boom")) << reply;
  EXPECT_EQ(Exchange(options_.path, "{}"), reply);  // still serving
}

TEST_F(UnixSocketServerTest, StaleSocketFileIsReplaced) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr = Address(options_.path);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  close(fd);  // the file stays, nobody listens: stale
  ASSERT_TRUE(IsSocket(options_.path));
  StartServer();
  EXPECT_EQ(Exchange(options_.path, "{}"), "reply:{}");
}

TEST_F(UnixSocketServerTest, RegularFileAtPathIsNotDeleted) {
  std::ofstream(options_.path) << "precious";
  absl::StatusOr<std::unique_ptr<UnixSocketServer>> server =
      UnixSocketServer::Create(options_);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(server.status().message(), "not a socket"));
  std::string content;
  std::ifstream(options_.path) >> content;
  EXPECT_EQ(content, "precious");
}

TEST_F(UnixSocketServerTest, SocketOfARunningServerIsNotTaken) {
  StartServer();
  absl::StatusOr<std::unique_ptr<UnixSocketServer>> second =
      UnixSocketServer::Create(options_);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Exchange(options_.path, "{}"), "reply:{}");
}

TEST_F(UnixSocketServerTest, StopRemovesTheSocketFileAndReleasesWait) {
  StartServer();
  ASSERT_TRUE(IsSocket(options_.path));
  std::thread waiter([this] { server_->Wait(); });
  server_->Stop();
  waiter.join();
  EXPECT_FALSE(IsSocket(options_.path));
  server_->Stop();  // idempotent
}

TEST_F(UnixSocketServerTest, StopLetsAnInFlightRequestFinish) {
  absl::Notification entered, release;
  options_.handler = [&](absl::string_view request) {
    entered.Notify();
    release.WaitForNotificationWithTimeout(absl::Seconds(20));
    return absl::StrCat("reply:", request);
  };
  StartServer();
  std::string reply;
  std::thread client([&] { reply = Exchange(options_.path, "{}"); });
  ASSERT_TRUE(entered.WaitForNotificationWithTimeout(absl::Seconds(20)));
  std::thread stopper([this] { server_->Stop(); });
  release.Notify();
  client.join();
  stopper.join();
  EXPECT_EQ(reply, "reply:{}");
  EXPECT_FALSE(IsSocket(options_.path));
}

TEST_F(UnixSocketServerTest, FiftyConcurrentClientsAreAllAnswered) {
  StartServer();
  constexpr int kClients = 50;
  std::vector<std::string> replies(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([this, i, &replies] {
      replies[i] = Exchange(options_.path, absl::StrCat("{\"id\":", i, "}"));
    });
  }
  for (std::thread& client : clients) client.join();
  for (int i = 0; i < kClients; ++i) {
    EXPECT_EQ(replies[i], absl::StrCat("reply:{\"id\":", i, "}"));
  }
  EXPECT_EQ(Requests().size(), kClients);
}

TEST_F(UnixSocketServerTest, CreateRejectsBadOptions) {
  UnixSocketServer::Options options = options_;
  options.path = "/tmp/" + std::string(120, 'p');
  EXPECT_EQ(UnixSocketServer::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options = options_;
  options.handler = nullptr;
  EXPECT_EQ(UnixSocketServer::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options = options_;
  options.path = dir_ + "/missing/e.sock";
  EXPECT_FALSE(UnixSocketServer::Create(options).ok());
}

}  // namespace
}  // namespace kepler::model::gateway
