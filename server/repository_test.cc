#include "server/repository.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>
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

// A corrupt or half-copied update of a pipeline keeps its last good version serving; the next
// good version replaces it. Before, the broken pipeline was dropped from service.
TEST_F(RepositoryTest, APipelineThatFailsToReloadKeepsItsLastGoodVersion) {
  CopyPipeline("ec2-0.7.11", "ec2-0.7.11");
  CopyPipeline("specpower-0.7.11", "specpower-0.7.11");
  auto repository = Repository::Create({root_.string(), absl::ZeroDuration()});
  ASSERT_TRUE(repository.ok());
  const size_t models = (*repository)->Current()->ModelCount();
  ASSERT_GT(models, 19u);
  // The update's node-type index is cut short.
  std::ofstream(root_ / "ec2-0.7.11" / "node_type_index.json", std::ios::trunc) << "{\"0\": {";
  ASSERT_TRUE((*repository)->Reload(/*force=*/true));
  auto snapshot = (*repository)->Current();
  EXPECT_EQ(snapshot->ModelCount(), models);
  ASSERT_NE(snapshot->FindPipeline("ec2-0.7.11"), nullptr);
  EXPECT_EQ(snapshot->stale(), std::vector<std::string>{"ec2-0.7.11"});
  EXPECT_EQ(snapshot->reload_failures(), 1);
  // Still the last good one after another failed reload.
  ASSERT_TRUE((*repository)->Reload(/*force=*/true));
  EXPECT_EQ((*repository)->Current()->ModelCount(), models);
  EXPECT_EQ((*repository)->Current()->reload_failures(), 2);
  // A good version replaces it.
  RemovePipeline("ec2-0.7.11");
  CopyPipeline("ec2-0.7.11", "ec2-0.7.11");
  ASSERT_TRUE((*repository)->Reload());
  EXPECT_TRUE((*repository)->Current()->stale().empty());
  EXPECT_EQ((*repository)->Current()->ModelCount(), models);
  // A pipeline that never loaded has no last good version to keep.
  fs::create_directories(root_ / "broken");
  std::ofstream(root_ / "broken" / "metadata.json") << "{}";
  std::ofstream(root_ / "broken" / "node_type_index.json") << "[";
  ASSERT_TRUE((*repository)->Reload());
  EXPECT_EQ((*repository)->Current()->FindPipeline("broken"), nullptr);
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
