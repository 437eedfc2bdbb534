#include "gateway/internal/http_router.h"

#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace kepler::model::gateway::internal {
namespace {

HttpResponse Error(int status, absl::string_view message) {
  HttpResponse response;
  response.status = status;
  response.body = std::string(message);
  return response;
}

HttpResponse Body(std::string body) {
  HttpResponse response;
  response.body = std::move(body);
  return response;
}

HttpRequest Request(std::string method, std::string path) {
  HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  return request;
}

class HttpRouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(router_
                    .Add("POST", "/model",
                         [](const HttpRequest&) { return Body("post model"); })
                    .ok());
    ASSERT_TRUE(router_
                    .Add("GET", "/model",
                         [](const HttpRequest&) { return Body("get model"); })
                    .ok());
    ASSERT_TRUE(router_
                    .Add("GET", "/throw",
                         [](const HttpRequest&) -> HttpResponse {
                           throw std::runtime_error("boom");
                         })
                    .ok());
  }

  HttpRouter router_;
};

TEST_F(HttpRouterTest, DispatchesOnMethodAndPath) {
  EXPECT_EQ(router_.Dispatch(Request("POST", "/model"), Error).body,
            "post model");
  EXPECT_EQ(router_.Dispatch(Request("GET", "/model"), Error).body,
            "get model");
}

TEST_F(HttpRouterTest, UnknownPathIs404) {
  HttpResponse response = router_.Dispatch(Request("GET", "/models"), Error);
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body, "no such path: /models");
}

TEST_F(HttpRouterTest, OtherMethodIs405WithSortedAllow) {
  HttpResponse response = router_.Dispatch(Request("PUT", "/model"), Error);
  EXPECT_EQ(response.status, 405);
  ASSERT_NE(response.FindHeader("allow"), nullptr);
  EXPECT_EQ(*response.FindHeader("allow"), "GET, POST");
}

TEST_F(HttpRouterTest, MethodIsCaseSensitive) {
  EXPECT_EQ(router_.Dispatch(Request("get", "/model"), Error).status, 405);
}

TEST_F(HttpRouterTest, HandlerExceptionIs500) {
  HttpResponse response = router_.Dispatch(Request("GET", "/throw"), Error);
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body, "request handler failed: boom");
}

TEST_F(HttpRouterTest, RejectsDuplicateAndMissingHandlers) {
  EXPECT_EQ(
      router_.Add("GET", "/model", [](const HttpRequest&) { return Body(""); })
          .code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(router_.Add("GET", "/none", nullptr).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kepler::model::gateway::internal
