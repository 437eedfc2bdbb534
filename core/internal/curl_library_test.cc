#include "core/internal/curl_library.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core::internal {
namespace {

using ::testing::HasSubstr;

TEST(CurlLibraryTest, MissingLibraryNamesItAndThePackage) {
  absl::StatusOr<CurlLibrary> lib = OpenCurlLibrary("libkepler-no-such-curl.so.4");
  ASSERT_FALSE(lib.ok());
  EXPECT_EQ(lib.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(lib.status().message()),
              HasSubstr("libkepler-no-such-curl.so.4"));
  EXPECT_THAT(std::string(lib.status().message()), HasSubstr("libcurl4"));
}

TEST(CurlLibraryTest, LibraryWithoutCurlSymbolsNamesTheSymbol) {
  absl::StatusOr<CurlLibrary> lib = OpenCurlLibrary("libz.so.1");
  ASSERT_FALSE(lib.ok());
  EXPECT_EQ(lib.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(lib.status().message()), HasSubstr("curl_global_init"));
  EXPECT_THAT(std::string(lib.status().message()), HasSubstr("libz.so.1"));
}

TEST(CurlLibraryTest, ProcessLibraryIsResolvedOnceAndUsable) {
  absl::StatusOr<const CurlLibrary*> first = GetCurlLibrary();
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<const CurlLibrary*> second = GetCurlLibrary();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*first, *second);
  const CurlLibrary& curl = **first;
  EXPECT_NE(curl.global_init, nullptr);
  EXPECT_NE(curl.easy_perform, nullptr);
  EXPECT_NE(curl.easy_getinfo, nullptr);
  CURL* easy = curl.easy_init();
  ASSERT_NE(easy, nullptr);
  EXPECT_EQ(curl.easy_setopt(easy, CURLOPT_NOSIGNAL, 1L), CURLE_OK);
  curl.easy_cleanup(easy);
  curl_slist* list = curl.slist_append(nullptr, "Expect:");
  ASSERT_NE(list, nullptr);
  curl.slist_free_all(list);
  EXPECT_STREQ(curl.easy_strerror(CURLE_OK), "No error");
}

}  // namespace
}  // namespace kepler::model::core::internal
