#include "estimator/model_cache.h"

#include <atomic>
#include <thread>

#include "gtest/gtest.h"

namespace kepler::model::estimator {
namespace {

class ModelCacheTest : public ::testing::Test {
 protected:
  ModelCache::Options Options() {
    ModelCache::Options options;
    options.now = [this] { return now_; };
    options.max_keys = 3;
    return options;
  }
  ModelCache::Loader Succeeds(const std::string& origin) {
    return [this, origin]() -> absl::StatusOr<std::shared_ptr<const CachedModel>> {
      ++loads_;
      auto model = std::make_shared<CachedModel>();
      model->origin = origin;
      return model;
    };
  }
  ModelCache::Loader Fails() {
    return [this]() -> absl::StatusOr<std::shared_ptr<const CachedModel>> {
      ++loads_;
      return absl::UnavailableError("model server down");
    };
  }

  absl::Time now_ = absl::FromUnixSeconds(1000);
  std::atomic<int> loads_{0};
};

TEST_F(ModelCacheTest, LoadsOncePerKey) {
  ModelCache cache(Options());
  EXPECT_EQ((*cache.GetOrLoad("a", Succeeds("x")))->origin, "x");
  EXPECT_EQ((*cache.GetOrLoad("a", Succeeds("y")))->origin, "x");
  EXPECT_EQ((*cache.GetOrLoad("b", Succeeds("y")))->origin, "y");
  EXPECT_EQ(loads_, 2);
}

TEST_F(ModelCacheTest, FailuresBackOffExponentially) {
  ModelCache cache(Options());
  EXPECT_EQ(cache.GetOrLoad("a", Fails()).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(cache.GetOrLoad("a", Fails()).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(loads_, 1) << "within the first second the last error is answered";
  now_ += absl::Milliseconds(1001);
  EXPECT_FALSE(cache.GetOrLoad("a", Fails()).ok());
  EXPECT_EQ(loads_, 2);
  now_ += absl::Milliseconds(1500);
  EXPECT_FALSE(cache.GetOrLoad("a", Fails()).ok());
  EXPECT_EQ(loads_, 2) << "second backoff is 2 s";
  now_ += absl::Milliseconds(600);
  EXPECT_TRUE(cache.GetOrLoad("a", Succeeds("x")).ok());
  EXPECT_EQ(loads_, 3);
}

TEST_F(ModelCacheTest, BackoffIsCapped) {
  ModelCache cache(Options());
  for (int i = 0; i < 20; ++i) {
    (void)cache.GetOrLoad("a", Fails());
    now_ += absl::Seconds(61);
  }
  EXPECT_EQ(loads_, 20);
}

TEST_F(ModelCacheTest, EvictedModelsReloadAfterBackoff) {
  ModelCache cache(Options());
  ASSERT_TRUE(cache.GetOrLoad("a", Succeeds("x")).ok());
  cache.Evict("a", absl::InternalError("NaN"));
  auto during = cache.GetOrLoad("a", Succeeds("y"));
  EXPECT_EQ(during.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(during.status().message().find("NaN"), std::string::npos);
  now_ += absl::Seconds(2);
  EXPECT_EQ((*cache.GetOrLoad("a", Succeeds("y")))->origin, "y");
}

TEST_F(ModelCacheTest, KeysAreBounded) {
  ModelCache cache(Options());
  for (const char* key : {"a", "b", "c", "d"}) ASSERT_TRUE(cache.GetOrLoad(key, Succeeds(key)).ok());
  EXPECT_EQ(loads_, 4);
  ASSERT_TRUE(cache.GetOrLoad("a", Succeeds("a2")).ok());
  EXPECT_EQ(loads_, 5) << "the least recently used key was forgotten";
}

TEST_F(ModelCacheTest, ConcurrentRequestsLoadOnce) {
  ModelCache cache(Options());
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] { ASSERT_TRUE(cache.GetOrLoad("k", Succeeds("x")).ok()); });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(loads_, 1);
}

}  // namespace
}  // namespace kepler::model::estimator
