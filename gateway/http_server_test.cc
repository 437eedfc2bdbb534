// Tests for HttpServer with real loopback connections (testing/http_client.h).
// Timeouts here only guard against hangs.
#include "gateway/http_server.h"

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "gateway/testing/http_client.h"
#include "gtest/gtest.h"

namespace kepler::model::gateway {
namespace {

using testing::HttpConnection;
using testing::HttpGet;
using testing::HttpPost;

constexpr char kHost[] = "127.0.0.1";

HttpResponse Text(std::string body) {
  HttpResponse response;
  response.content_type = "text/plain";
  response.body = std::move(body);
  return response;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.address = kHost;
    AddRoute("GET", "/query", [](const HttpRequest& request) {
      std::vector<std::string> pairs;
      for (const auto& [key, value] : request.query) {
        pairs.push_back(absl::StrCat(key, "=", value));
      }
      return Text(absl::StrCat(request.path, "|", absl::StrJoin(pairs, "&")));
    });
    AddRoute("POST", "/echo", [](const HttpRequest& request) {
      HttpResponse response;
      const std::string* type = request.FindHeader("content-type");
      response.content_type = type ? *type : "";
      response.body = request.body;
      response.headers.emplace_back("X-Method", request.method);
      return response;
    });
    AddRoute("GET", "/multi", [](const HttpRequest&) { return Text("get"); });
    AddRoute("POST", "/multi", [](const HttpRequest&) { return Text("post"); });
    AddRoute("GET", "/throw", [](const HttpRequest&) -> HttpResponse {
      throw std::runtime_error("boom");
    });
  }

  void AddRoute(std::string method, std::string path, HttpHandler handler) {
    options_.routes.push_back(
        {std::move(method), std::move(path), std::move(handler)});
  }

  void StartServer() {
    absl::StatusOr<std::unique_ptr<HttpServer>> server =
        HttpServer::Create(options_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    ASSERT_GT(server_->port(), 0);
  }

  std::unique_ptr<HttpConnection> Connect() {
    absl::StatusOr<std::unique_ptr<HttpConnection>> connection =
        HttpConnection::Connect(kHost, server_->port(), absl::Seconds(20));
    EXPECT_TRUE(connection.ok()) << connection.status();
    return connection.ok() ? std::move(*connection) : nullptr;
  }

  HttpServer::Options options_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, GetDecodesQueryParameters) {
  StartServer();
  absl::StatusOr<HttpResponse> response = HttpGet(
      kHost, server_->port(), "/query?energy-source=rapl-sysfs&x=a%20b&y=c+d");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->content_type, "text/plain");
  EXPECT_EQ(response->body, "/query|energy-source=rapl-sysfs&x=a b&y=c d");
}

TEST_F(HttpServerTest, PostPassesJsonBodyAndHeaders) {
  StartServer();
  const std::string body = R"({"metrics":["a"],"values":[[1]],"s":"\u00e9"})";
  absl::StatusOr<HttpResponse> response =
      HttpPost(kHost, server_->port(), "/echo", body);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->content_type, "application/json");
  EXPECT_EQ(response->body, body);
  ASSERT_NE(response->FindHeader("x-method"), nullptr);
  EXPECT_EQ(*response->FindHeader("x-method"), "POST");
}

TEST_F(HttpServerTest, UnknownPathIs404) {
  StartServer();
  absl::StatusOr<HttpResponse> response =
      HttpGet(kHost, server_->port(), "/nope?echo=1");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 404);
  EXPECT_TRUE(absl::StrContains(response->body, "/nope")) << response->body;
}

TEST_F(HttpServerTest, KnownPathWithOtherMethodIs405WithAllow) {
  StartServer();
  auto connection = Connect();
  absl::StatusOr<HttpResponse> response =
      connection->Send("DELETE", "/multi", "", "");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 405);
  ASSERT_NE(response->FindHeader("Allow"), nullptr);
  EXPECT_EQ(*response->FindHeader("Allow"), "GET, POST");
  response = HttpGet(kHost, server_->port(), "/echo");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 405);
  EXPECT_EQ(*response->FindHeader("Allow"), "POST");
}

TEST_F(HttpServerTest, OversizeBodyIs413BeforeTheBodyIsSent) {
  options_.max_body_bytes = 1024;
  StartServer();
  auto connection = Connect();
  // Announce 100 MB and send only a little: the server must answer anyway.
  ASSERT_TRUE(connection
                  ->SendRaw("POST /echo HTTP/1.1\r\nHost: x\r\n"
                            "Content-Length: 100000000\r\n\r\n{\"a\":")
                  .ok());
  absl::StatusOr<HttpResponse> response = connection->ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(connection->PeerClosed());
}

TEST_F(HttpServerTest, OversizeChunkedBodyIs413) {
  options_.max_body_bytes = 1024;
  StartServer();
  auto connection = Connect();
  ASSERT_TRUE(connection
                  ->SendRaw("POST /echo HTTP/1.1\r\nHost: x\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n"
                            "800\r\n" +
                            std::string(2048, 'x') + "\r\n")
                  .ok());
  absl::StatusOr<HttpResponse> response = connection->ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 413);
}

TEST_F(HttpServerTest, BodyAtTheLimitIsAccepted) {
  options_.max_body_bytes = 1024;
  StartServer();
  absl::StatusOr<HttpResponse> response =
      HttpPost(kHost, server_->port(), "/echo", std::string(1024, 'x'));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body.size(), 1024u);
}

TEST_F(HttpServerTest, LargeBodyArrivesIntact) {
  // Over the size at which the server reads the body in 64 KiB steps (a training capture).
  std::string body;
  for (int i = 0; body.size() < (3u << 20); ++i) absl::StrAppend(&body, i, ",");
  StartServer();
  absl::StatusOr<HttpResponse> response = HttpPost(kHost, server_->port(), "/echo", body);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(response->body == body) << response->body.size() << " bytes back";
}

TEST_F(HttpServerTest, ExpectContinueGets100ThenTheResponse) {
  StartServer();
  auto connection = Connect();
  ASSERT_TRUE(connection
                  ->SendRaw("POST /echo HTTP/1.1\r\nHost: x\r\n"
                            "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n")
                  .ok());
  absl::StatusOr<HttpResponse> interim = connection->ReadResponse();
  ASSERT_TRUE(interim.ok()) << interim.status();
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(connection->SendRaw("{}").ok());
  absl::StatusOr<HttpResponse> response = connection->ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "{}");
}

TEST_F(HttpServerTest, MalformedRequestsAre400) {
  StartServer();
  for (const char* raw :
       {"GARBAGE\r\n\r\n", "GET /query HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
        "GET /query HTTP/9.x\r\n\r\n"}) {
    auto connection = Connect();
    ASSERT_TRUE(connection->SendRaw(raw).ok());
    absl::StatusOr<HttpResponse> response = connection->ReadResponse();
    ASSERT_TRUE(response.ok()) << raw << ": " << response.status();
    EXPECT_EQ(response->status, 400) << raw;
    EXPECT_TRUE(connection->PeerClosed()) << raw;
  }
}

TEST_F(HttpServerTest, HandlerExceptionIs500AndServerKeepsServing) {
  StartServer();
  absl::StatusOr<HttpResponse> response =
      HttpGet(kHost, server_->port(), "/throw");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 500);
  EXPECT_TRUE(absl::StrContains(response->body, "boom")) << response->body;
  response = HttpGet(kHost, server_->port(), "/query");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
}

TEST_F(HttpServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  StartServer();
  auto connection = Connect();
  absl::StatusOr<HttpResponse> first =
      connection->Send("POST", "/echo", "{\"n\":1}", "application/json");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->body, "{\"n\":1}");
  EXPECT_EQ(first->FindHeader("Connection"), nullptr);
  absl::StatusOr<HttpResponse> second =
      connection->Send("GET", "/query?n=2", "", "");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->body, "/query|n=2");
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  StartServer();
  auto connection = Connect();
  absl::StatusOr<HttpResponse> response =
      connection->Send("GET", "/query", "", "", "Connection: close\r\n");
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_NE(response->FindHeader("Connection"), nullptr);
  EXPECT_EQ(*response->FindHeader("Connection"), "close");
  EXPECT_TRUE(connection->PeerClosed());
}

TEST_F(HttpServerTest, IdleConnectionIsClosedAfterIdleTimeout) {
  options_.idle_timeout = absl::Milliseconds(100);
  StartServer();
  auto idle = Connect();
  EXPECT_TRUE(idle->PeerClosed());  // nothing sent: the server gives up
  absl::StatusOr<HttpResponse> response =
      HttpGet(kHost, server_->port(), "/query");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
}

TEST_F(HttpServerTest, ErrorResponseHookShapesTransportErrors) {
  options_.error_response = [](int status, absl::string_view message) {
    HttpResponse response;
    response.status = status;
    response.body = absl::StrCat(R"({"error":")", message, R"("})");
    return response;
  };
  StartServer();
  absl::StatusOr<HttpResponse> response = HttpGet(kHost, server_->port(), "/x");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->content_type, "application/json");
  EXPECT_EQ(response->body, R"({"error":"no such path: /x"})");
}

TEST_F(HttpServerTest, ConcurrentClientsAreAllAnswered) {
  StartServer();
  constexpr int kClients = 32;
  constexpr int kRequestsEach = 5;
  std::vector<int> ok(kClients, 0);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([this, c, &ok] {
      auto connection = HttpConnection::Connect(kHost, server_->port());
      if (!connection.ok()) return;
      for (int r = 0; r < kRequestsEach; ++r) {
        std::string body = absl::StrCat("{\"c\":", c, ",\"r\":", r, "}");
        auto response =
            (*connection)->Send("POST", "/echo", body, "application/json");
        if (response.ok() && response->body == body) ++ok[c];
      }
    });
  }
  for (std::thread& client : clients) client.join();
  for (int c = 0; c < kClients; ++c) EXPECT_EQ(ok[c], kRequestsEach) << c;
}

TEST_F(HttpServerTest, StopLetsAnInFlightRequestFinish) {
  absl::Notification entered, release;
  AddRoute("GET", "/slow", [&](const HttpRequest&) {
    entered.Notify();
    release.WaitForNotificationWithTimeout(absl::Seconds(20));
    return Text("done");
  });
  StartServer();
  absl::StatusOr<HttpResponse> response;
  std::thread client(
      [&] { response = HttpGet(kHost, server_->port(), "/slow"); });
  ASSERT_TRUE(entered.WaitForNotificationWithTimeout(absl::Seconds(20)));
  std::thread stopper([this] { server_->Stop(); });
  release.Notify();
  client.join();
  stopper.join();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, "done");
  EXPECT_FALSE(HttpGet(kHost, server_->port(), "/query").ok());
  server_->Wait();  // returns at once: stopped
}

TEST_F(HttpServerTest, CreateRejectsBadOptions) {
  HttpServer::Options options = options_;
  options.routes.push_back(options.routes.front());
  EXPECT_EQ(HttpServer::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options = options_;
  options.address = "not an address";
  EXPECT_EQ(HttpServer::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options = options_;
  options.routes.push_back({"GET", "/none", nullptr});
  EXPECT_EQ(HttpServer::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(HttpServerTest, PortInUseIsAnError) {
  StartServer();
  HttpServer::Options options = options_;
  options.port = server_->port();
  EXPECT_FALSE(HttpServer::Create(options).ok());
}

}  // namespace
}  // namespace kepler::model::gateway
