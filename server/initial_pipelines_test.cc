// InitialPipelines against a real file server on loopback: a database that comes up after the
// model server is still fetched; permanent failures are not retried; Stop() ends the waits.
#include "server/initial_pipelines.h"


#include <atomic>
#include <filesystem>
#include <string>

#include "absl/time/clock.h"
#include "core/archive.h"
#include "core/file_util.h"
#include "core/testing/eventually.h"
#include "core/testing/fixture_zip.h"
#include "core/testing/static_file_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::server {
namespace {

namespace fs = std::filesystem;
using core::test_util::StaticFileServer;
using ::testing::HasSubstr;



class InitialPipelinesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / "initial_pipelines_test";
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "served");
    auto zip = core::test_util::ZipFixture("testdata/model-db/ec2-0.7.11", dir_.string());
    ASSERT_TRUE(zip.ok()) << zip.status();
    ASSERT_TRUE(core::WriteFileAtomic((dir_ / "served" / "ec2-0.7.11.zip").string(), *zip).ok());
  }

  InitialPipelines::Options Options(std::vector<std::string> urls) {
    InitialPipelines::Options options;
    options.urls = std::move(urls);
    options.model_path = (dir_ / "models").string();
    options.first_retry = absl::Milliseconds(50);
    options.max_retry = absl::Milliseconds(200);
    options.fetch.timeout = absl::Seconds(5);
    options.on_installed = [this] { ++installed_; };
    options.log = [](const std::string&) {};
    return options;
  }

  fs::path dir_;
  std::atomic<int> installed_{0};
};

// The database's server is not listening at first (pods start in any order): connection
// refused is retried with backoff until the server is up, then the pipeline is installed.
TEST_F(InitialPipelinesTest, ADatabaseThatComesUpLaterIsFetched) {
  const int port = core::test_util::UnusedLoopbackPort();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/ec2-0.7.11.zip";
  InitialPipelines fetcher(Options({url}), core::NewCurlHttpClient());
  ASSERT_TRUE(core::test_util::Eventually([&] { return fetcher.Snapshot()[0].attempts >= 3; }));
  EXPECT_FALSE(fetcher.Settled());
  EXPECT_EQ(fetcher.Snapshot()[0].last_error.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(fetcher.MetricsText("kms"),
              HasSubstr("kms_initial_pipeline_state{url=\"" + url + "\",state=\"pending\"} 1"));
  StaticFileServer::Options served;
  served.root = (dir_ / "served").string();
  served.port = port;
  auto server = StaticFileServer::Start(served);
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_TRUE(core::test_util::Eventually([&] { return fetcher.Settled(); }));
  EXPECT_EQ(fetcher.Snapshot()[0].state, InitialPipelines::State::kInstalled)
      << fetcher.Snapshot()[0].last_error;
  EXPECT_EQ(installed_.load(), 1);
  EXPECT_TRUE(core::FileExists((dir_ / "models" / "ec2-0.7.11" / "metadata.json").string()));
  EXPECT_THAT(fetcher.MetricsText("kms"),
              HasSubstr("kms_initial_pipeline_state{url=\"" + url + "\",state=\"installed\"} 1"));
}

// 404 and a corrupt archive fail for good after one attempt; the other URL still installs.
TEST_F(InitialPipelinesTest, PermanentFailuresAreNotRetried) {
  ASSERT_TRUE(core::WriteFileAtomic((dir_ / "served" / "corrupt.zip").string(), "not a zip").ok());
  StaticFileServer::Options served;
  served.root = (dir_ / "served").string();
  auto server = StaticFileServer::Start(served);
  ASSERT_TRUE(server.ok());
  InitialPipelines fetcher(Options({(*server)->Url("missing.zip"), (*server)->Url("corrupt.zip"),
                                    (*server)->Url("ec2-0.7.11.zip")}),
                           core::NewCurlHttpClient());
  ASSERT_TRUE(core::test_util::Eventually([&] { return fetcher.Settled(); }));
  absl::SleepFor(absl::Milliseconds(300));  // longer than any backoff: nothing is retried
  const auto states = fetcher.Snapshot();
  EXPECT_EQ(states[0].state, InitialPipelines::State::kFailed);
  EXPECT_EQ(states[0].last_error.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(states[1].state, InitialPipelines::State::kFailed);
  EXPECT_EQ(states[1].last_error.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(states[2].state, InitialPipelines::State::kInstalled) << states[2].last_error;
  for (const auto& s : states) EXPECT_EQ(s.attempts, 1) << s.url;
}

// Destroying the fetcher while it waits to retry returns at once and leaves nothing running.
TEST_F(InitialPipelinesTest, StopEndsTheWaitBetweenRetries) {
  auto options = Options({"http://127.0.0.1:" + std::to_string(core::test_util::UnusedLoopbackPort()) + "/ec2-0.7.11.zip"});
  options.first_retry = absl::Seconds(30);
  auto fetcher = std::make_unique<InitialPipelines>(options, core::NewCurlHttpClient());
  ASSERT_TRUE(core::test_util::Eventually([&] { return fetcher->Snapshot()[0].attempts >= 1; }));
  const absl::Time start = absl::Now();
  fetcher.reset();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_EQ(installed_.load(), 0);
}

TEST(InitialPipelinesClassifyTest, TransientAndPermanentErrors) {
  EXPECT_TRUE(InitialPipelines::IsTransient(absl::UnavailableError("refused")));
  EXPECT_TRUE(InitialPipelines::IsTransient(absl::DeadlineExceededError("timeout")));
  EXPECT_FALSE(InitialPipelines::IsTransient(absl::NotFoundError("HTTP status 404")));
  EXPECT_FALSE(InitialPipelines::IsTransient(absl::FailedPreconditionError("HTTP status 403")));
  EXPECT_FALSE(InitialPipelines::IsTransient(absl::InvalidArgumentError("corrupt")));
  EXPECT_FALSE(InitialPipelines::IsTransient(absl::ResourceExhaustedError("too large")));
}

}  // namespace
}  // namespace kepler::model::server
