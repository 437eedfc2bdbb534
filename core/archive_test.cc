#include "core/archive.h"

#include <minizip/zip.h>
#include <unistd.h>
#include <zlib.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/file_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"

namespace kepler::model::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kModelDir[] =
    "testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/";

std::vector<std::string> Names(const std::vector<ArchiveEntry>& entries) {
  std::vector<std::string> names;
  for (const ArchiveEntry& entry : entries) names.push_back(entry.name);
  return names;
}

const ArchiveEntry* Find(const std::vector<ArchiveEntry>& entries,
                         const std::string& name) {
  for (const ArchiveEntry& entry : entries) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

// Expects InvalidArgument whose message contains `needle`.
void ExpectRejected(const absl::Status& status, const std::string& needle) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr(needle));
}

// Builds zips with minizip directly, so the test can write what WriteZip
// refuses to: hostile names, lying headers, encryption.
class RawZipBuilder {
 public:
  explicit RawZipBuilder(std::string path)
      : path_(std::move(path)), zip_(zipOpen64(path_.c_str(), 0)) {}

  RawZipBuilder& Add(const std::string& name, const std::string& data,
                     const char* password = nullptr) {
    uLong crc =
        crc32(0, reinterpret_cast<const Bytef*>(data.data()), data.size());
    EXPECT_EQ(zipOpenNewFileInZip3_64(zip_, name.c_str(), nullptr, nullptr, 0,
                                      nullptr, 0, nullptr, Z_DEFLATED, 6, 0,
                                      -MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                                      password, crc, 0),
              ZIP_OK);
    EXPECT_EQ(zipWriteInFileInZip(zip_, data.data(), data.size()), ZIP_OK);
    EXPECT_EQ(zipCloseFileInZip(zip_), ZIP_OK);
    return *this;
  }

  // Stores `data` deflated but declares `declared_size` uncompressed bytes.
  RawZipBuilder& AddLying(const std::string& name, const std::string& data,
                          uLong declared_size) {
    std::string deflated = RawDeflate(data);
    EXPECT_EQ(zipOpenNewFileInZip2_64(zip_, name.c_str(), nullptr, nullptr, 0,
                                      nullptr, 0, nullptr, Z_DEFLATED, 6,
                                      /*raw=*/1, 0),
              ZIP_OK);
    EXPECT_EQ(zipWriteInFileInZip(zip_, deflated.data(), deflated.size()),
              ZIP_OK);
    uLong crc =
        crc32(0, reinterpret_cast<const Bytef*>(data.data()), data.size());
    EXPECT_EQ(zipCloseFileInZipRaw64(zip_, declared_size, crc), ZIP_OK);
    return *this;
  }

  std::string Finish() {
    EXPECT_EQ(zipClose(zip_, nullptr), ZIP_OK);
    absl::StatusOr<std::string> bytes = ReadFile(path_);
    EXPECT_TRUE(bytes.ok()) << bytes.status();
    return bytes.ok() ? *bytes : "";
  }

 private:
  static std::string RawDeflate(const std::string& data) {
    z_stream z{};
    EXPECT_EQ(
        deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
        Z_OK);
    std::string out(deflateBound(&z, data.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = data.size();
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = out.size();
    EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
  }

  std::string path_;
  zipFile zip_;
};

class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> dir = MakeTempDir("archive_test_");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *dir;
  }
  void TearDown() override { EXPECT_TRUE(RemoveAll(dir_).ok()); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  RawZipBuilder Raw() { return RawZipBuilder(Path(absl::StrCat("raw", n_++))); }

  std::string dir_;
  int n_ = 0;
};

// ---- Real model archives from kepler-model-db. ----

TEST_F(ArchiveTest, ReadsSgdModelArchive) {
  absl::StatusOr<std::vector<ArchiveEntry>> entries = ReadZipFile(
      absl::StrCat(kModelDir, "SGDRegressorTrainer_0.zip"), ArchiveLimits());
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_THAT(
      Names(*entries),
      ElementsAre("scaler.pkl", "uncore.pkl", "package.pkl", "metadata.json",
                  "dram.pkl", "SGDRegressorTrainer_0.json", "core.pkl"));
  const ArchiveEntry* metadata = Find(*entries, "metadata.json");
  ASSERT_NE(metadata, nullptr);
  EXPECT_EQ(metadata->data.size(), 390u);
  rapidjson::Document doc;
  doc.Parse(metadata->data.data(), metadata->data.size());
  ASSERT_FALSE(doc.HasParseError());
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("model_name"));
  EXPECT_STREQ(doc["model_name"].GetString(), "SGDRegressorTrainer_0");
}

TEST_F(ArchiveTest, ReadsXgboostModelArchiveWithExactSizes) {
  absl::StatusOr<std::vector<ArchiveEntry>> entries = ReadZipFile(
      absl::StrCat(kModelDir, "XgboostFitTrainer_0.zip"), ArchiveLimits());
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 7u);
  EXPECT_EQ(Find(*entries, "package.json")->data.size(), 231886u);
  EXPECT_EQ(Find(*entries, "dram.json")->data.size(), 254558u);
  EXPECT_EQ(Find(*entries, "XgboostFitTrainer_0.json")->data.size(), 490u);
}

TEST_F(ArchiveTest, RealArchiveOverEntryLimitNamesTheEntry) {
  ArchiveLimits limits;
  limits.max_entry_bytes = 100000;
  absl::StatusOr<std::vector<ArchiveEntry>> entries =
      ReadZipFile(absl::StrCat(kModelDir, "XgboostFitTrainer_0.zip"), limits);
  ExpectRejected(entries.status(), "'package.json'");
  ExpectRejected(entries.status(), "XgboostFitTrainer_0.zip");
}

TEST_F(ArchiveTest, ReadZipFileOfMissingFileIsNotFound) {
  EXPECT_EQ(ReadZipFile(Path("missing.zip"), ArchiveLimits()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ArchiveTest, RealArchiveSurvivesRewrite) {
  absl::StatusOr<std::vector<ArchiveEntry>> entries = ReadZipFile(
      absl::StrCat(kModelDir, "SGDRegressorTrainer_0.zip"), ArchiveLimits());
  ASSERT_TRUE(entries.ok());
  absl::StatusOr<std::string> rewritten = WriteZip(*entries);
  ASSERT_TRUE(rewritten.ok()) << rewritten.status();
  absl::StatusOr<std::vector<ArchiveEntry>> again =
      ReadZip(*rewritten, ArchiveLimits());
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ(again->size(), entries->size());
  for (const ArchiveEntry& entry : *entries) {
    ASSERT_NE(Find(*again, entry.name), nullptr) << entry.name;
    EXPECT_EQ(Find(*again, entry.name)->data, entry.data) << entry.name;
  }
}

// ---- Writing. ----

TEST_F(ArchiveTest, WriteThenReadRoundTripsSortedByName) {
  std::string binary("\0\1\2\xff", 4);
  absl::StatusOr<std::string> zip =
      WriteZip({{"b/c.json", "{}"}, {"a.bin", binary}, {"empty", ""}});
  ASSERT_TRUE(zip.ok()) << zip.status();
  absl::StatusOr<std::vector<ArchiveEntry>> entries =
      ReadZip(*zip, ArchiveLimits());
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_THAT(Names(*entries), ElementsAre("a.bin", "b/c.json", "empty"));
  EXPECT_EQ((*entries)[0].data, binary);
  EXPECT_EQ((*entries)[1].data, "{}");
  EXPECT_EQ((*entries)[2].data, "");
}

TEST_F(ArchiveTest, WriteIsDeterministic) {
  std::string big(100000, 'z');
  absl::StatusOr<std::string> first = WriteZip({{"x", "1"}, {"y", big}});
  sleep(1);  // A wall-clock timestamp would now differ.
  absl::StatusOr<std::string> second = WriteZip({{"y", big}, {"x", "1"}});
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
}

TEST_F(ArchiveTest, WriteCompresses) {
  absl::StatusOr<std::string> zip =
      WriteZip({{"zeros", std::string(1 << 20, 0)}});
  ASSERT_TRUE(zip.ok());
  EXPECT_LT(zip->size(), 10000u);
}

TEST_F(ArchiveTest, FastLevelAndStoredZipsRoundTrip) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += std::to_string(i % 97) + ",";
  absl::StatusOr<std::string> inner = WriteZip({{"a.json", text}});
  ASSERT_TRUE(inner.ok());
  ZipOptions fast;
  fast.level = 1;
  fast.store_zips = true;
  absl::StatusOr<std::string> zip = WriteZip({{"m.zip", *inner}, {"a.json", text}}, fast);
  ASSERT_TRUE(zip.ok()) << zip.status();
  EXPECT_LT(zip->size(), inner->size() + text.size() / 2) << "the text is deflated";
  EXPECT_NE(zip->find(*inner), std::string::npos) << "the inner zip is stored as it is";
  absl::StatusOr<std::vector<ArchiveEntry>> entries = ReadZip(*zip, ArchiveLimits());
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_THAT(Names(*entries), ElementsAre("a.json", "m.zip"));
  EXPECT_EQ((*entries)[0].data, text);
  EXPECT_EQ((*entries)[1].data, *inner);
  ZipOptions stored;
  stored.level = 0;
  absl::StatusOr<std::string> plain = WriteZip({{"a.json", text}}, stored);
  ASSERT_TRUE(plain.ok());
  EXPECT_NE(plain->find(text), std::string::npos);
  EXPECT_EQ((*ReadZip(*plain, ArchiveLimits()))[0].data, text);
}

TEST_F(ArchiveTest, EmptyArchiveRoundTrips) {
  absl::StatusOr<std::string> zip = WriteZip({});
  ASSERT_TRUE(zip.ok());
  absl::StatusOr<std::vector<ArchiveEntry>> entries =
      ReadZip(*zip, ArchiveLimits());
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_THAT(*entries, IsEmpty());
}

TEST_F(ArchiveTest, WriteRejectsBadNames) {
  for (const char* name :
       {"../evil", "/abs", "a\\b", "", "a/../b", "./a", "a//b", "folder/"}) {
    ExpectRejected(WriteZip({{name, "x"}}).status(), "zip entry");
  }
}

TEST_F(ArchiveTest, WriteRejectsDuplicateNames) {
  ExpectRejected(WriteZip({{"a", "1"}, {"a", "2"}}).status(), "duplicate");
}

// ---- Hostile input. ----

TEST_F(ArchiveTest, RejectsParentPathEntry) {
  std::string zip = Raw().Add("ok", "x").Add("../evil", "x").Finish();
  ExpectRejected(ReadZip(zip, ArchiveLimits()).status(), "'../evil'");
}

TEST_F(ArchiveTest, RejectsNestedParentPathEntry) {
  std::string zip = Raw().Add("a/../../evil", "x").Finish();
  ExpectRejected(ReadZip(zip, ArchiveLimits()).status(), "'..' path component");
}

TEST_F(ArchiveTest, RejectsAbsolutePathEntry) {
  std::string zip = Raw().Add("/etc/passwd", "x").Finish();
  ExpectRejected(ReadZip(zip, ArchiveLimits()).status(), "absolute path");
}

TEST_F(ArchiveTest, RejectsBackslashEntry) {
  std::string zip = Raw().Add("..\\evil", "x").Finish();
  ExpectRejected(ReadZip(zip, ArchiveLimits()).status(), "backslash");
}

TEST_F(ArchiveTest, RejectsEmptyName) {
  std::string zip = Raw().Add("", "x").Finish();
  ExpectRejected(ReadZip(zip, ArchiveLimits()).status(), "empty name");
}

TEST_F(ArchiveTest, RejectsNulInName) {
  std::string zip = Raw().Add("a_b", "x").Finish();
  // minizip takes C strings, so patch the name in both headers.
  for (size_t at = zip.find("a_b"); at != zip.npos; at = zip.find("a_b")) {
    zip[at + 1] = '\0';
  }
  ExpectRejected(ReadZip(zip, ArchiveLimits()).status(), "NUL");
}

TEST_F(ArchiveTest, RejectsDuplicateEntries) {
  std::string zip = Raw().Add("a", "1").Add("a", "2").Finish();
  ExpectRejected(ReadZip(zip, ArchiveLimits()).status(), "duplicate");
}

TEST_F(ArchiveTest, SkipsFolderEntries) {
  std::string zip = Raw().Add("dir/", "").Add("dir/f", "x").Finish();
  absl::StatusOr<std::vector<ArchiveEntry>> entries =
      ReadZip(zip, ArchiveLimits());
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_THAT(Names(*entries), ElementsAre("dir/f"));
}

TEST_F(ArchiveTest, RejectsZipBombOverEntryLimit) {
  std::string zip = Raw().Add("bomb", std::string(10 << 20, '\0')).Finish();
  ASSERT_LT(zip.size(), 100000u);
  ArchiveLimits limits;
  limits.max_entry_bytes = 1 << 20;
  ExpectRejected(ReadZip(zip, limits).status(), "'bomb'");
  ExpectRejected(ReadZip(zip, limits).status(), "max_entry_bytes");
}

TEST_F(ArchiveTest, RejectsEntryWhoseHeaderUnderstatesItsSize) {
  std::string zip =
      Raw().AddLying("liar", std::string(10 << 20, '\0'), 100).Finish();
  ArchiveLimits limits;
  limits.max_entry_bytes = 1 << 20;
  ExpectRejected(ReadZip(zip, limits).status(), "'liar'");
}

TEST_F(ArchiveTest, RejectsEntryWhoseHeaderOverstatesItsSize) {
  std::string zip = Raw().AddLying("liar", "short", 1000).Finish();
  ExpectRejected(ReadZip(zip, ArchiveLimits()).status(), "'liar'");
}

TEST_F(ArchiveTest, RejectsArchiveOverTotalLimit) {
  std::string chunk(600 << 10, 'a');
  std::string zip = Raw().Add("a", chunk).Add("b", chunk).Finish();
  ArchiveLimits limits;
  limits.max_entry_bytes = 1 << 20;
  limits.max_total_bytes = 1 << 20;
  ExpectRejected(ReadZip(zip, limits).status(), "max_total_bytes");
  limits.max_total_bytes = 2 << 20;
  EXPECT_TRUE(ReadZip(zip, limits).ok());
}

TEST_F(ArchiveTest, RejectsTooManyEntries) {
  RawZipBuilder builder = Raw();
  for (int i = 0; i < 11; ++i) builder.Add(absl::StrCat("f", i), "x");
  std::string zip = builder.Finish();
  ArchiveLimits limits;
  limits.max_entries = 10;
  ExpectRejected(ReadZip(zip, limits).status(), "max_entries=10");
  limits.max_entries = 11;
  EXPECT_TRUE(ReadZip(zip, limits).ok());
}

TEST_F(ArchiveTest, RejectsCorruptedDataNamingTheEntry) {
  std::string text;
  for (int i = 0; i < 2000; ++i) absl::StrAppend(&text, "line ", i, "\n");
  absl::StatusOr<std::string> zip = WriteZip({{"model.json", text}});
  ASSERT_TRUE(zip.ok());
  const size_t data_start = 30 + std::string("model.json").size();
  for (size_t i = 10; i < 20; ++i) (*zip)[data_start + i] ^= 0x55;
  ExpectRejected(ReadZip(*zip, ArchiveLimits()).status(), "'model.json'");
}

TEST_F(ArchiveTest, RejectsTruncatedZip) {
  absl::StatusOr<std::string> zip = WriteZip({{"a", std::string(5000, 'a')}});
  ASSERT_TRUE(zip.ok());
  ExpectRejected(
      ReadZip(zip->substr(0, zip->size() / 2), ArchiveLimits()).status(),
      "not a zip");
  ExpectRejected(
      ReadZip(zip->substr(0, zip->size() - 10), ArchiveLimits()).status(),
      "zip");
  ExpectRejected(ReadZip(zip->substr(10), ArchiveLimits()).status(), "zip");
}

TEST_F(ArchiveTest, RejectsNotAZip) {
  ExpectRejected(ReadZip("hello, this is not a zip", ArchiveLimits()).status(),
                 "not a zip");
  ExpectRejected(ReadZip("", ArchiveLimits()).status(), "not a zip");
}

TEST_F(ArchiveTest, RejectsEncryptedEntry) {
  std::string zip = Raw().Add("secret", "x", "password").Finish();
  ExpectRejected(ReadZip(zip, ArchiveLimits()).status(), "encrypted");
}

// ---- Folders. ----

TEST_F(ArchiveTest, ZipFolderThenUnzipToFolderRoundTrips) {
  ASSERT_TRUE(MakeDirs(Path("src/sub/deeper")).ok());
  ASSERT_TRUE(WriteFileAtomic(Path("src/metadata.json"), "{}").ok());
  ASSERT_TRUE(WriteFileAtomic(Path("src/sub/deeper/w.json"), "[1]").ok());
  ASSERT_TRUE(WriteFileAtomic(Path("src/sub/a.bin"), "bin").ok());
  absl::StatusOr<std::string> zip = ZipFolder(Path("src"));
  ASSERT_TRUE(zip.ok()) << zip.status();
  absl::StatusOr<std::vector<ArchiveEntry>> entries =
      ReadZip(*zip, ArchiveLimits());
  ASSERT_TRUE(entries.ok());
  EXPECT_THAT(Names(*entries),
              ElementsAre("metadata.json", "sub/a.bin", "sub/deeper/w.json"));

  for (FolderWrites writes : {FolderWrites::kAtomic, FolderWrites::kStaged}) {
    const std::string out = writes == FolderWrites::kAtomic ? "out/model" : "out/staged";
    ASSERT_TRUE(UnzipToFolder(*zip, Path(out), ArchiveLimits(), writes).ok());
    EXPECT_EQ(*ReadFile(Path(out + "/metadata.json")), "{}");
    EXPECT_EQ(*ReadFile(Path(out + "/sub/deeper/w.json")), "[1]");
    EXPECT_EQ(*ReadFile(Path(out + "/sub/a.bin")), "bin");
    absl::StatusOr<std::string> rezipped = ZipFolder(Path(out + "/"));
    ASSERT_TRUE(rezipped.ok()) << rezipped.status();
    EXPECT_EQ(*rezipped, *zip);
  }
}

TEST_F(ArchiveTest, ZipFolderSkipsSymlinks) {
  ASSERT_TRUE(MakeDirs(Path("src")).ok());
  ASSERT_TRUE(WriteFileAtomic(Path("secret"), "s").ok());
  ASSERT_TRUE(WriteFileAtomic(Path("src/f"), "x").ok());
  ASSERT_EQ(symlink(Path("secret").c_str(), Path("src/link").c_str()), 0);
  absl::StatusOr<std::string> zip = ZipFolder(Path("src"));
  ASSERT_TRUE(zip.ok()) << zip.status();
  EXPECT_THAT(Names(*ReadZip(*zip, ArchiveLimits())), ElementsAre("f"));
}

TEST_F(ArchiveTest, ZipFolderNamesEntriesRelativeToAnySpellingOfTheRoot) {
  ASSERT_TRUE(MakeDirs(Path("a/b/sub")).ok());
  ASSERT_TRUE(WriteFileAtomic(Path("a/b/sub/f.json"), "x").ok());
  for (const char* spelling : {"a//b", "a/./b", "a/b/"}) {
    absl::StatusOr<std::string> zip = ZipFolder(Path(spelling));
    ASSERT_TRUE(zip.ok()) << zip.status();
    EXPECT_THAT(Names(*ReadZip(*zip, ArchiveLimits())), ElementsAre("sub/f.json")) << spelling;
  }
}

TEST_F(ArchiveTest, ZipFolderOfMissingFolderFails) {
  EXPECT_EQ(ZipFolder(Path("missing")).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ArchiveTest, UnzipWritesNothingFromHostileZip) {
  std::string zip = Raw().Add("ok", "x").Add("../evil", "x").Finish();
  ExpectRejected(UnzipToFolder(zip, Path("out"), ArchiveLimits()), "../evil");
  EXPECT_FALSE(FileExists(Path("out/ok")));
  EXPECT_FALSE(FileExists(Path("evil")));
}

TEST_F(ArchiveTest, UnzipRefusesSymlinkedFolder) {
  ASSERT_TRUE(MakeDirs(Path("out")).ok());
  ASSERT_TRUE(MakeDirs(Path("elsewhere")).ok());
  ASSERT_EQ(symlink(Path("elsewhere").c_str(), Path("out/sub").c_str()), 0);
  absl::StatusOr<std::string> zip = WriteZip({{"sub/f", "x"}});
  ASSERT_TRUE(zip.ok());
  for (FolderWrites writes : {FolderWrites::kAtomic, FolderWrites::kStaged}) {
    absl::Status status = UnzipToFolder(*zip, Path("out"), ArchiveLimits(), writes);
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
    EXPECT_FALSE(FileExists(Path("elsewhere/f")));
  }
}

TEST_F(ArchiveTest, UnzipRefusesSymlinkedFile) {
  ASSERT_TRUE(MakeDirs(Path("out")).ok());
  ASSERT_TRUE(WriteFileAtomic(Path("target"), "original").ok());
  ASSERT_EQ(symlink(Path("target").c_str(), Path("out/f").c_str()), 0);
  absl::StatusOr<std::string> zip = WriteZip({{"f", "replaced"}});
  ASSERT_TRUE(zip.ok());
  for (FolderWrites writes : {FolderWrites::kAtomic, FolderWrites::kStaged}) {
    absl::Status status = UnzipToFolder(*zip, Path("out"), ArchiveLimits(), writes);
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
    EXPECT_EQ(*ReadFile(Path("target")), "original");
  }
}

TEST_F(ArchiveTest, UnzipReplacesExistingFiles) {
  ASSERT_TRUE(MakeDirs(Path("out")).ok());
  ASSERT_TRUE(WriteFileAtomic(Path("out/f"), "old").ok());
  absl::StatusOr<std::string> zip = WriteZip({{"f", "new"}});
  ASSERT_TRUE(zip.ok());
  ASSERT_TRUE(UnzipToFolder(*zip, Path("out"), ArchiveLimits()).ok());
  EXPECT_EQ(*ReadFile(Path("out/f")), "new");
}

}  // namespace
}  // namespace kepler::model::core
