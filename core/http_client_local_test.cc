// file:// URLs and local paths, in a process that makes no http(s) request:
// they must be served without libcurl ever being loaded (it costs ~6.5 MB).
#include <dlfcn.h>

#include <memory>
#include <string>

#include "core/file_util.h"
#include "core/http_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

using ::testing::HasSubstr;

// True when libcurl is mapped into this process; RTLD_NOLOAD never loads it.
bool CurlLoaded() {
  void* handle = dlopen("libcurl.so.4", RTLD_NOW | RTLD_NOLOAD);
  if (handle != nullptr) dlclose(handle);  // Drops the reference NOLOAD took.
  return handle != nullptr;
}

class HttpClientLocalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(CurlLoaded()) << "libcurl is linked, not loaded on demand";
    absl::StatusOr<std::string> dir = MakeTempDir("http_client_local_test_");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *dir;
    ASSERT_TRUE(WriteFileAtomic(dir_ + "/a b.json", "{\"hi\": 1}").ok());
  }
  void TearDown() override {
    EXPECT_FALSE(CurlLoaded()) << "a local read loaded libcurl";
    EXPECT_TRUE(RemoveAll(dir_).ok());
  }

  absl::StatusOr<HttpResult> Get(const std::string& url) {
    return http_->Get(url, FetchOptions());
  }

  std::string dir_;
  std::unique_ptr<HttpClient> http_ = NewCurlHttpClient();
};

TEST_F(HttpClientLocalTest, FileUrlsAndPathsReadTheFile) {
  for (const std::string& url :
       {dir_ + "/a b.json", "file://" + dir_ + "/a b.json",
        "file://" + dir_ + "/a%20b.json", "FILE://localhost" + dir_ + "/a b.json",
        "file://" + dir_ + "/a%20b.json?query#fragment"}) {
    absl::StatusOr<HttpResult> got = Get(url);
    ASSERT_TRUE(got.ok()) << url << ": " << got.status();
    EXPECT_EQ(got->status, 200);
    EXPECT_EQ(got->content_type, "");
    EXPECT_EQ(got->body, "{\"hi\": 1}");
  }
}

TEST_F(HttpClientLocalTest, MissingFileIsNotFoundNamingTheUrl) {
  std::string url = "file://" + dir_ + "/missing.zip";
  absl::StatusOr<HttpResult> got = Get(url);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(got.status().message()), HasSubstr(url));
}

TEST_F(HttpClientLocalTest, FileUrlOfAnotherHostOrRelativeIsInvalid) {
  for (const std::string& url :
       {"file://example.com" + dir_ + "/a b.json", std::string("file://a.json"),
        "file://" + dir_ + "/a%00b.json"}) {
    absl::StatusOr<HttpResult> got = Get(url);
    ASSERT_FALSE(got.ok()) << url;
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument) << url;
  }
}

}  // namespace
}  // namespace kepler::model::core
