#include "tools/load/http_request.h"

#include "gtest/gtest.h"

namespace kepler::model::tools {
namespace {

TEST(HttpRequestBytesTest, PostCarriesTypeLengthAndBody) {
  EXPECT_EQ(HttpRequestBytes("POST", "/model", "127.0.0.1:8100", R"({"a":1})"),
            "POST /model HTTP/1.1\r\nHost: 127.0.0.1:8100\r\n"
            "Content-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
}

TEST(HttpRequestBytesTest, GetWithoutBodyHasNoEntityHeaders) {
  EXPECT_EQ(HttpRequestBytes("GET", "/best-models?source=acpi", "h:1", ""),
            "GET /best-models?source=acpi HTTP/1.1\r\nHost: h:1\r\n\r\n");
}

TEST(HttpRequestBytesTest, EmptyPostStillSaysItsLength) {
  EXPECT_EQ(HttpRequestBytes("POST", "/x", "h:1", "", ""),
            "POST /x HTTP/1.1\r\nHost: h:1\r\nContent-Length: 0\r\n\r\n");
}

}  // namespace
}  // namespace kepler::model::tools
