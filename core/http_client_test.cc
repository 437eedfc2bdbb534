#include "core/http_client.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/file_util.h"
#include "core/testing/static_file_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

using ::testing::HasSubstr;
using test_util::StaticFileServer;

// True when libcurl is mapped into this process; RTLD_NOLOAD never loads it.
bool CurlLoaded() {
  void* handle = dlopen("libcurl.so.4", RTLD_NOW | RTLD_NOLOAD);
  if (handle != nullptr) dlclose(handle);  // Drops the reference NOLOAD took.
  return handle != nullptr;
}

// A loopback port nothing listens on: bound, never listening, until closed.
class ClosedPort {
 public:
  ClosedPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    port_ = ntohs(addr.sin_port);
  }
  ~ClosedPort() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

// Expects an error with `code` whose message names `url`.
void ExpectError(const absl::StatusOr<HttpResult>& got, absl::StatusCode code,
                 const std::string& url) {
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), code) << got.status();
  EXPECT_THAT(std::string(got.status().message()), HasSubstr(url));
}

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> dir = MakeTempDir("http_client_test_");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *dir;
    ASSERT_TRUE(WriteFileAtomic(Path("hello.json"), "{\"hi\": 1}").ok());
    ASSERT_TRUE(WriteFileAtomic(Path("big.bin"), std::string(3 << 20, 'x')).ok());
    StaticFileServer::Options options;
    options.root = dir_;
    absl::StatusOr<std::unique_ptr<StaticFileServer>> server =
        StaticFileServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  void TearDown() override {
    server_.reset();
    EXPECT_TRUE(RemoveAll(dir_).ok());
  }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  std::string dir_;
  std::unique_ptr<StaticFileServer> server_;
  std::unique_ptr<HttpClient> http_ = NewCurlHttpClient();
};

TEST_F(HttpClientTest, GetReturnsBodyStatusAndContentType) {
  absl::StatusOr<HttpResult> got =
      http_->Get(server_->Url("hello.json"), FetchOptions());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->content_type, "application/json");
  EXPECT_EQ(got->body, "{\"hi\": 1}");
}

// Plain http has its own client: libcurl (~9 MB resident with its TLS,
// Kerberos and LDAP dependencies) is for https only. Tests run in file
// order, so this one runs before HttpsToClosedPortLoadsCurlAndIsUnavailable.
TEST_F(HttpClientTest, HttpRequestDoesNotLoadLibcurl) {
  if (CurlLoaded()) GTEST_SKIP() << "an https test ran first (shuffled order)";
  ASSERT_TRUE(http_->Get(server_->Url("hello.json"), FetchOptions()).ok());
  ASSERT_TRUE(http_->Post(server_->Url("echo"), "{}", "application/json",
                          FetchOptions())
                  .ok());
  EXPECT_FALSE(CurlLoaded());
}

TEST_F(HttpClientTest, GetMissingFileIsA404ResultNotAnError) {
  absl::StatusOr<HttpResult> got =
      http_->Get(server_->Url("missing.zip"), FetchOptions());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->status, 404);
}

TEST_F(HttpClientTest, GetFollowsRedirects) {
  absl::StatusOr<HttpResult> got =
      http_->Get(server_->Url("redirect/hello.json"), FetchOptions());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->body, "{\"hi\": 1}");
}

TEST_F(HttpClientTest, GetFileUrlReadsTheFileWithStatus200) {
  absl::StatusOr<HttpResult> got =
      http_->Get("file://" + Path("hello.json"), FetchOptions());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->body, "{\"hi\": 1}");
}

TEST_F(HttpClientTest, GetMissingFileUrlIsNotFound) {
  std::string url = "file://" + Path("missing.zip");
  ExpectError(http_->Get(url, FetchOptions()), absl::StatusCode::kNotFound, url);
}

TEST_F(HttpClientTest, GetPlainPathReadsFromDisk) {
  absl::StatusOr<HttpResult> got = http_->Get(Path("hello.json"), FetchOptions());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->body, "{\"hi\": 1}");
  ExpectError(http_->Get(Path("missing"), FetchOptions()),
              absl::StatusCode::kNotFound, Path("missing"));
}

TEST_F(HttpClientTest, SlowServerIsDeadlineExceeded) {
  FetchOptions options;
  options.timeout = absl::Milliseconds(200);
  std::string url = server_->Url("slow/hello.json");
  ExpectError(http_->Get(url, options), absl::StatusCode::kDeadlineExceeded, url);
}

TEST_F(HttpClientTest, BodyOverMaxBytesIsResourceExhausted) {
  FetchOptions options;
  options.max_bytes = 1 << 20;
  for (const std::string& url :
       {server_->Url("big.bin"), "file://" + Path("big.bin"), Path("big.bin")}) {
    ExpectError(http_->Get(url, options), absl::StatusCode::kResourceExhausted,
                url);
  }
  options.max_bytes = 3 << 20;  // Exactly the size is still accepted.
  absl::StatusOr<HttpResult> got = http_->Get(server_->Url("big.bin"), options);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->body.size(), size_t{3} << 20);
}

TEST_F(HttpClientTest, RefusedConnectionIsUnavailable) {
  ClosedPort closed;
  std::string url = absl::StrCat("http://127.0.0.1:", closed.port(), "/x");
  ExpectError(http_->Get(url, FetchOptions()), absl::StatusCode::kUnavailable, url);
  ExpectError(http_->Post(url, "{}", "application/json", FetchOptions()),
              absl::StatusCode::kUnavailable, url);
}

TEST_F(HttpClientTest, BadHttpUrlIsInvalidArgument) {
  for (const std::string& url :
       {std::string("http://user@127.0.0.1/x"), std::string("http://127.0.0.1:0/x"),
        std::string("http://127.0.0.1:65536/x"), std::string("http:///x")}) {
    ExpectError(http_->Get(url, FetchOptions()), absl::StatusCode::kInvalidArgument,
                url);
  }
}

TEST_F(HttpClientTest, UnsupportedSchemeIsInvalidArgument) {
  ExpectError(http_->Get("ftp://example.com/x.zip", FetchOptions()),
              absl::StatusCode::kInvalidArgument, "ftp://example.com/x.zip");
  std::string file_url = "file://" + Path("hello.json");
  ExpectError(http_->Post(file_url, "{}", "application/json", FetchOptions()),
              absl::StatusCode::kInvalidArgument, file_url);
}

TEST_F(HttpClientTest, PostSendsBodyAndContentType) {
  std::string body(100000, 'b');  // Large enough for libcurl to consider Expect.
  absl::StatusOr<HttpResult> got = http_->Post(
      server_->Url("echo"), body, "application/x-test", FetchOptions());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->content_type, "application/x-test");
  EXPECT_EQ(got->body, body);
}

TEST_F(HttpClientTest, OneClientServesManyThreads) {
  std::vector<std::thread> threads;
  std::vector<long> statuses(8, 0);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      absl::StatusOr<HttpResult> got =
          http_->Get(server_->Url("hello.json"), FetchOptions());
      if (got.ok() && got->body == "{\"hi\": 1}") statuses[i] = got->status;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_THAT(statuses, ::testing::Each(200));
}

// No TLS test server here: an unreachable https URL still goes through
// libcurl (loading it) and reports Unavailable naming the URL. Last in the
// file: it loads libcurl into this process.
TEST_F(HttpClientTest, HttpsToClosedPortLoadsCurlAndIsUnavailable) {
  ClosedPort closed;
  std::string url = absl::StrCat("https://127.0.0.1:", closed.port(), "/");
  ExpectError(http_->Get(url, FetchOptions()), absl::StatusCode::kUnavailable, url);
  ExpectError(http_->Post(url, "{}", "application/json", FetchOptions()),
              absl::StatusCode::kUnavailable, url);
  EXPECT_TRUE(CurlLoaded());
}

}  // namespace
}  // namespace kepler::model::core
