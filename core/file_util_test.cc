#include "core/file_util.h"

#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class FileUtilTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> dir = MakeTempDir("file_util_test_");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *dir;
  }
  void TearDown() override { ASSERT_TRUE(RemoveAll(dir_).ok()); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  std::string dir_;
};

TEST_F(FileUtilTest, WriteThenReadReturnsSameBytes) {
  std::string data("binary\0data\xff", 12);
  ASSERT_TRUE(WriteFileAtomic(Path("f"), data).ok());
  absl::StatusOr<std::string> read = ReadFile(Path("f"));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, data);
}

TEST_F(FileUtilTest, ReadsLargeFileCompletely) {
  std::string data(300 * 1024, 'x');
  ASSERT_TRUE(WriteFileAtomic(Path("big"), data).ok());
  absl::StatusOr<std::string> read = ReadFile(Path("big"));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->size(), data.size());
}

TEST_F(FileUtilTest, ReadMissingFileIsNotFound) {
  absl::StatusOr<std::string> read = ReadFile(Path("missing"));
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(read.status().message()),
              ::testing::HasSubstr("missing"));
}

TEST_F(FileUtilTest, ReadFolderFails) { EXPECT_FALSE(ReadFile(dir_).ok()); }

TEST_F(FileUtilTest, WriteFileAtomicReplacesAndLeavesNoTemporaryFiles) {
  ASSERT_TRUE(WriteFileAtomic(Path("f"), "old").ok());
  ASSERT_TRUE(WriteFileAtomic(Path("f"), "new").ok());
  EXPECT_EQ(*ReadFile(Path("f")), "new");
  absl::StatusOr<std::vector<std::string>> names = ListDir(dir_);
  ASSERT_TRUE(names.ok());
  EXPECT_THAT(*names, ElementsAre("f"));
}

TEST_F(FileUtilTest, VolatileWriteFileAtomicAlsoReplacesWhole) {
  ASSERT_TRUE(WriteFileAtomic(Path("f"), "old", Durability::kVolatile).ok());
  ASSERT_TRUE(WriteFileAtomic(Path("f"), "new", Durability::kVolatile).ok());
  EXPECT_EQ(*ReadFile(Path("f")), "new");
  EXPECT_THAT(*ListDir(dir_), ElementsAre("f"));
  EXPECT_EQ(WriteFileAtomic(Path("no/such/f"), "x", Durability::kVolatile).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(FileUtilTest, WriteStagedFileCreatesOrTruncatesInPlace) {
  ASSERT_TRUE(WriteStagedFile(Path("f"), "a longer old content").ok());
  ASSERT_TRUE(WriteStagedFile(Path("f"), "new").ok());
  EXPECT_EQ(*ReadFile(Path("f")), "new");
  EXPECT_THAT(*ListDir(dir_), ElementsAre("f"));
  EXPECT_EQ(WriteStagedFile(Path("no/such/f"), "x").code(), absl::StatusCode::kNotFound);
  SyncFilesystemOf(dir_);  // best effort, no result
  SyncFilesystemOf(Path("missing"));
}

TEST_F(FileUtilTest, WriteFileAtomicIntoMissingFolderFailsCleanly) {
  absl::Status status = WriteFileAtomic(Path("no/such/f"), "x");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(FileExists(Path("no")));
}

TEST_F(FileUtilTest, MakeDirsCreatesParentsAndIsIdempotent) {
  ASSERT_TRUE(MakeDirs(Path("a/b/c")).ok());
  EXPECT_TRUE(IsDirectory(Path("a/b/c")));
  EXPECT_TRUE(MakeDirs(Path("a/b/c")).ok());
}

TEST_F(FileUtilTest, MakeDirsOverFileFails) {
  ASSERT_TRUE(WriteFileAtomic(Path("f"), "x").ok());
  EXPECT_FALSE(MakeDirs(Path("f")).ok());
  EXPECT_FALSE(MakeDirs(Path("f/sub")).ok());
}

TEST_F(FileUtilTest, RemoveAllRemovesTreeAndAcceptsMissingPath) {
  ASSERT_TRUE(MakeDirs(Path("t/u")).ok());
  ASSERT_TRUE(WriteFileAtomic(Path("t/u/f"), "x").ok());
  ASSERT_TRUE(RemoveAll(Path("t")).ok());
  EXPECT_FALSE(FileExists(Path("t")));
  EXPECT_TRUE(RemoveAll(Path("t")).ok());
}

TEST_F(FileUtilTest, RemoveAllDoesNotFollowSymlinks) {
  ASSERT_TRUE(MakeDirs(Path("kept")).ok());
  ASSERT_TRUE(WriteFileAtomic(Path("kept/f"), "x").ok());
  ASSERT_EQ(::symlink(Path("kept").c_str(), Path("link").c_str()), 0);
  ASSERT_TRUE(RemoveAll(Path("link")).ok());
  EXPECT_TRUE(FileExists(Path("kept/f")));
}

TEST_F(FileUtilTest, ListDirReturnsSortedNames) {
  ASSERT_TRUE(WriteFileAtomic(Path("b"), "").ok());
  ASSERT_TRUE(WriteFileAtomic(Path("a"), "").ok());
  ASSERT_TRUE(MakeDirs(Path("c")).ok());
  absl::StatusOr<std::vector<std::string>> names = ListDir(dir_);
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_THAT(*names, ElementsAre("a", "b", "c"));
}

TEST_F(FileUtilTest, ListDirOfEmptyFolderIsEmpty) {
  absl::StatusOr<std::vector<std::string>> names = ListDir(dir_);
  ASSERT_TRUE(names.ok());
  EXPECT_THAT(*names, IsEmpty());
}

TEST_F(FileUtilTest, ListDirOfMissingFolderIsNotFound) {
  EXPECT_EQ(ListDir(Path("missing")).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(FileUtilTest, IsDirectoryAndFileExistsTellKindsApart) {
  ASSERT_TRUE(WriteFileAtomic(Path("f"), "x").ok());
  EXPECT_TRUE(FileExists(Path("f")));
  EXPECT_FALSE(IsDirectory(Path("f")));
  EXPECT_TRUE(FileExists(dir_));
  EXPECT_TRUE(IsDirectory(dir_));
  EXPECT_FALSE(FileExists(Path("missing")));
  EXPECT_FALSE(IsDirectory(Path("missing")));
}

TEST_F(FileUtilTest, MakeTempDirCreatesDistinctPrivateFolders) {
  absl::StatusOr<std::string> other = MakeTempDir("file_util_test_");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*other, dir_);
  EXPECT_TRUE(IsDirectory(*other));
  struct stat st;
  ASSERT_EQ(::stat(other->c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_TRUE(RemoveAll(*other).ok());
}

TEST(PublishDirectoryTest, InstallsAndReplacesWholeFolders) {
  auto root = MakeTempDir("publish-");
  ASSERT_TRUE(root.ok());
  std::string target = *root + "/pipeline";
  std::string staging = *root + "/staging";
  ASSERT_TRUE(MakeDirs(staging).ok());
  ASSERT_TRUE(WriteFileAtomic(staging + "/metadata.json", "v1").ok());
  ASSERT_TRUE(PublishDirectory(staging, target, *root + "/previous").ok());
  EXPECT_EQ(*ReadFile(target + "/metadata.json"), "v1");
  ASSERT_TRUE(MakeDirs(staging).ok());
  ASSERT_TRUE(WriteFileAtomic(staging + "/metadata.json", "v2").ok());
  ASSERT_TRUE(PublishDirectory(staging, target, *root + "/previous").ok());
  EXPECT_EQ(*ReadFile(target + "/metadata.json"), "v2");
  // The old folder is left where the caller can remove it.
  bool old_kept = FileExists(staging + "/metadata.json") || FileExists(*root + "/previous/metadata.json");
  EXPECT_TRUE(old_kept);
  EXPECT_FALSE(PublishDirectory(*root + "/missing", target, *root + "/previous").ok());
  EXPECT_EQ(*ReadFile(target + "/metadata.json"), "v2");
  ASSERT_TRUE(RemoveAll(*root).ok());
}

}  // namespace
}  // namespace kepler::model::core
