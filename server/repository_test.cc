#include "server/repository.h"

#include <atomic>
#include <filesystem>
#include <thread>

#include "gtest/gtest.h"
#include "server/selector.h"

namespace kepler::model::server {
namespace {

namespace fs = std::filesystem;

class RepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / "repository_test";
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void CopyPipeline(const std::string& name, const std::string& as) {
    fs::path aside = root_ / (".incoming-" + as);
    fs::copy("testdata/model-db/" + name, aside, fs::copy_options::recursive);
    fs::rename(aside, root_ / as);  // published atomically, as the fetcher and trainer do
  }
  void RemovePipeline(const std::string& name) {
    fs::path trash = root_ / (".trash-" + name);
    fs::rename(root_ / name, trash);  // unpublished atomically, then deleted at leisure
    fs::remove_all(trash);
  }
  fs::path root_;
};

TEST_F(RepositoryTest, EmptyFolderGivesAnEmptySnapshot) {
  auto repository = Repository::Create({root_.string(), absl::ZeroDuration()});
  ASSERT_TRUE(repository.ok());
  EXPECT_EQ((*repository)->Current()->ModelCount(), 0u);
  EXPECT_EQ((*repository)->generation(), 1);
}

TEST_F(RepositoryTest, ReloadPicksUpNewAndRemovedPipelines) {
  auto repository = Repository::Create({root_.string(), absl::ZeroDuration()});
  ASSERT_TRUE(repository.ok());
  EXPECT_FALSE((*repository)->Reload()) << "nothing changed";
  CopyPipeline("ec2-0.7.11", "ec2-0.7.11");
  EXPECT_TRUE((*repository)->Reload());
  EXPECT_EQ((*repository)->Current()->ModelCount(), 19u);
  fs::remove_all(root_ / "ec2-0.7.11");
  EXPECT_TRUE((*repository)->Reload());
  EXPECT_EQ((*repository)->Current()->ModelCount(), 0u);
}

TEST_F(RepositoryTest, InFlightSnapshotsSurviveASwap) {
  CopyPipeline("ec2-0.7.11", "ec2-0.7.11");
  auto repository = Repository::Create({root_.string(), absl::ZeroDuration()});
  ASSERT_TRUE(repository.ok());
  std::shared_ptr<const Snapshot> held = (*repository)->Current();
  fs::remove_all(root_ / "ec2-0.7.11");
  ASSERT_TRUE((*repository)->Reload());
  EXPECT_EQ(held->ModelCount(), 19u) << "the old snapshot is intact while held";
  EXPECT_EQ((*repository)->Current()->ModelCount(), 0u);
}

TEST_F(RepositoryTest, WatcherSwapsWhileReadersSelectWithoutFailures) {
  CopyPipeline("ec2-0.7.11", "ec2-0.7.11");
  auto repository = Repository::Create({root_.string(), absl::Milliseconds(10)});
  ASSERT_TRUE(repository.ok());
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0}, answers{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 2; ++i) {
    readers.emplace_back([&] {
      SelectionRequest request;
      request.metrics = {"bpf_cpu_time_ms", "bpf_page_cache_hit"};
      while (!stop) {
        auto selection = SelectBestModel(*(*repository)->Current(), request);
        if (!selection.ok()) ++failures;
        ++answers;
      }
    });
  }
  // Publish new versions of a second pipeline; ec2 stays, so every request must be answered.
  int64_t start = (*repository)->generation();
  for (int version = 0; version < 5; ++version) {
    std::string name = "std_v" + std::to_string(version);
    CopyPipeline("ec2-0.7.11", name);
    while ((*repository)->generation() == start + 2 * version) std::this_thread::yield();
    RemovePipeline(name);
    while ((*repository)->generation() == start + 2 * version + 1) std::this_thread::yield();
  }
  stop = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(failures, 0);
  EXPECT_GT(answers, 0);
  EXPECT_EQ((*repository)->generation(), start + 10);
}

}  // namespace
}  // namespace kepler::model::server
