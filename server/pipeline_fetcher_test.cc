#include "server/pipeline_fetcher.h"

#include <minizip/zip.h>
#include <zlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/archive.h"
#include "core/file_util.h"
#include "core/http_client.h"
#include "core/testing/static_file_server.h"
#include "core/version.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using core::test_util::StaticFileServer;

// testdata/README.md: kepler-model-db models/v0.7/ec2-0.7.11, trimmed.
constexpr char kFixture[] = "testdata/model-db/ec2-0.7.11";
constexpr char kPipeline[] = "ec2-0.7.11";
constexpr char kSgdDir[] = "rapl-sysfs/AbsPower/BPFOnly/SGDRegressorTrainer_0";

// Builds a zip with minizip directly, so it can hold names WriteZip refuses.
std::string RawZip(const std::string& path,
                   const std::vector<core::ArchiveEntry>& entries) {
  zipFile zip = zipOpen64(path.c_str(), 0);
  for (const core::ArchiveEntry& e : entries) {
    EXPECT_EQ(zipOpenNewFileInZip64(zip, e.name.c_str(), nullptr, nullptr, 0,
                                    nullptr, 0, nullptr, Z_DEFLATED, 6, 0),
              ZIP_OK);
    EXPECT_EQ(zipWriteInFileInZip(zip, e.data.data(), e.data.size()), ZIP_OK);
    EXPECT_EQ(zipCloseFileInZip(zip), ZIP_OK);
  }
  EXPECT_EQ(zipClose(zip, nullptr), ZIP_OK);
  absl::StatusOr<std::string> bytes = core::ReadFile(path);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : "";
}

std::string MustZip(std::vector<core::ArchiveEntry> entries) {
  absl::StatusOr<std::string> zip = core::WriteZip(std::move(entries));
  EXPECT_TRUE(zip.ok()) << zip.status();
  return zip.ok() ? *zip : "";
}

std::string MustRead(const std::string& path) {
  absl::StatusOr<std::string> bytes = core::ReadFile(path);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : "";
}

class PipelineFetcherTest : public ::testing::Test {
 protected:
  // The fixture zipped once. Runfiles are symlinks, which ZipFolder skips, so
  // the folder is first copied with its symlinks resolved.
  static void SetUpTestSuite() {
    absl::StatusOr<std::string> copy = core::MakeTempDir("fixture_copy_");
    ASSERT_TRUE(copy.ok()) << copy.status();
    std::error_code ec;
    std::filesystem::copy(kFixture, *copy + "/p",
                          std::filesystem::copy_options::recursive, ec);
    ASSERT_FALSE(ec) << ec.message();
    absl::StatusOr<std::string> zip = core::ZipFolder(*copy + "/p");
    ASSERT_TRUE(zip.ok()) << zip.status();
    pipeline_zip_ = new std::string(*std::move(zip));
    ASSERT_TRUE(core::RemoveAll(*copy).ok());
  }

  void SetUp() override {
    absl::StatusOr<std::string> dir = core::MakeTempDir("pipeline_fetcher_");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *dir;
    model_path_ = dir_ + "/models";
    ASSERT_TRUE(core::MakeDirs(dir_ + "/served/bad").ok());
    Serve(absl::StrCat(kPipeline, ".zip"), *pipeline_zip_);
    StaticFileServer::Options options;
    options.root = dir_ + "/served";
    auto server = StaticFileServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  void TearDown() override {
    server_.reset();
    EXPECT_TRUE(core::RemoveAll(dir_).ok());
  }

  void Serve(const std::string& name, const std::string& bytes) {
    ASSERT_TRUE(core::WriteFileAtomic(ServedPath(name), bytes).ok());
  }
  std::string ServedPath(const std::string& name) const {
    return absl::StrCat(dir_, "/served/", name);
  }
  std::string Installed(const std::string& path = "") const {
    return absl::StrCat(model_path_, "/", kPipeline, path.empty() ? "" : "/",
                        path);
  }
  std::vector<FetchReport> Fetch(const std::vector<std::string>& urls,
                                 core::FetchOptions options = {}) {
    return FetchInitialPipelines(urls, model_path_, *http_, options);
  }
  absl::Status Install(const std::string& zip) {
    return InstallPipelineArchive(zip, model_path_, kPipeline);
  }
  std::vector<std::string> ModelPathEntries() const {
    absl::StatusOr<std::vector<std::string>> names = core::ListDir(model_path_);
    return names.ok() ? *names : std::vector<std::string>();
  }
  void ExpectGoodInstall() const {
    EXPECT_TRUE(core::FileExists(Installed("metadata.json")));
    EXPECT_TRUE(core::FileExists(Installed("node_type_index.json")));
    EXPECT_TRUE(core::FileExists(Installed(absl::StrCat(kSgdDir, "/metadata.json"))));
    EXPECT_EQ(MustRead(Installed(absl::StrCat(kSgdDir, "/weight.json"))),
              MustRead(Installed(absl::StrCat(kSgdDir, ".json"))));
    EXPECT_THAT(ModelPathEntries(), ElementsAre(kPipeline));  // No staging left.
  }

  static std::string* pipeline_zip_;
  std::string dir_;
  std::string model_path_;
  std::unique_ptr<StaticFileServer> server_;
  std::unique_ptr<core::HttpClient> http_ = core::NewCurlHttpClient();
};

std::string* PipelineFetcherTest::pipeline_zip_ = nullptr;

// ---- URLs and names. ----

TEST(InitialPipelineUrlsTest, ExplicitListWins) {
  EXPECT_THAT(InitialPipelineUrls({"", "http://a/x.zip"}, "http://top"),
              ElementsAre("http://a/x.zip"));
}

TEST(InitialPipelineUrlsTest, DefaultTopUrlGivesEc2AndSpecpower) {
  std::string top(core::kBaseModelUrl);
  EXPECT_THAT(InitialPipelineUrls({}, top),
              ElementsAre(top + "/ec2-0.7.11.zip", top + "/specpower-0.7.11.zip"));
  EXPECT_THAT(InitialPipelineUrls({""}, top + "/"),
              ElementsAre(top + "/ec2-0.7.11.zip", top + "/specpower-0.7.11.zip"));
}

TEST(InitialPipelineUrlsTest, OtherTopUrlGivesStdPipeline) {
  EXPECT_THAT(InitialPipelineUrls({}, "http://127.0.0.1:8110"),
              ElementsAre("http://127.0.0.1:8110/std_v0.7.11.zip"));
}

TEST(PipelineNameFromUrlTest, BasenameWithoutZip) {
  for (const char* url :
       {"https://h/models/v0.7/ec2-0.7.11.zip", "file:///tmp/ec2-0.7.11.zip",
        "/tmp/ec2-0.7.11.zip", "ec2-0.7.11.zip",
        "http://h/ec2-0.7.11.zip?token=1#x"}) {
    absl::StatusOr<std::string> name = PipelineNameFromUrl(url);
    ASSERT_TRUE(name.ok()) << url << ": " << name.status();
    EXPECT_EQ(*name, "ec2-0.7.11") << url;
  }
}

TEST(PipelineNameFromUrlTest, RejectsHostileOrMissingNames) {
  for (const char* url :
       {"http://h/ec2-0.7.11", "http://h/ec2.tar.gz", "http://h/.zip",
        "http://h/", "http://h/..zip", "http://h/...zip", "http://h/.hidden.zip",
        "http://h/..%2Fevil.zip", "http://h/a\\..\\b.zip", "http://h/a b.zip",
        "/tmp/a..b.zip", ""}) {
    absl::StatusOr<std::string> name = PipelineNameFromUrl(url);
    EXPECT_EQ(name.status().code(), absl::StatusCode::kInvalidArgument)
        << url << " gave " << (name.ok() ? *name : "");
  }
}

// ---- Fetching and installing. ----

TEST_F(PipelineFetcherTest, InstallsServedPipelineWithExpandedModels) {
  std::string url = server_->Url(absl::StrCat(kPipeline, ".zip"));
  std::vector<FetchReport> reports = Fetch({url});
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].status.ok()) << reports[0].status;
  EXPECT_EQ(reports[0].url, url);
  EXPECT_EQ(reports[0].pipeline, kPipeline);
  ExpectGoodInstall();
  // A model archive without a weight document is expanded, without weight.json.
  std::string xgb = Installed("rapl-sysfs/AbsPower/BPFOnly/XgboostFitTrainer_0");
  EXPECT_TRUE(core::FileExists(xgb + "/metadata.json"));
  EXPECT_FALSE(core::FileExists(xgb + "/weight.json"));
  EXPECT_TRUE(core::FileExists(
      Installed("rapl-sysfs/DynPower/BPFOnly/XgboostFitTrainer_1/metadata.json")));
}

TEST_F(PipelineFetcherTest, OneFailingUrlDoesNotStopTheOthers) {
  core::FetchOptions options;
  options.timeout = absl::Milliseconds(300);
  std::vector<FetchReport> reports = Fetch(
      {server_->Url("missing-0.7.11.zip"), server_->Url("slow/other.zip"),
       server_->Url(absl::StrCat(kPipeline, ".zip"))},
      options);
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_EQ(reports[0].status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(reports[0].status.message()), HasSubstr("404"));
  EXPECT_EQ(reports[1].status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_TRUE(reports[2].status.ok()) << reports[2].status;
  ExpectGoodInstall();
}

TEST_F(PipelineFetcherTest, CorruptZipLeavesPreviousInstallIntact) {
  ASSERT_TRUE(Fetch({server_->Url(absl::StrCat(kPipeline, ".zip"))})[0].status.ok());
  std::string before = MustRead(Installed("metadata.json"));
  Serve(absl::StrCat("bad/", kPipeline, ".zip"),
        pipeline_zip_->substr(0, pipeline_zip_->size() / 2));
  std::vector<FetchReport> reports =
      Fetch({server_->Url(absl::StrCat("bad/", kPipeline, ".zip"))});
  EXPECT_EQ(reports[0].status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MustRead(Installed("metadata.json")), before);
  ExpectGoodInstall();
}

TEST_F(PipelineFetcherTest, NewArchiveReplacesPreviousInstall) {
  ASSERT_TRUE(Install(*pipeline_zip_).ok());
  ASSERT_TRUE(Install(MustZip({{"metadata.json", "{\"name\": \"v2\"}"}})).ok());
  EXPECT_EQ(MustRead(Installed("metadata.json")), "{\"name\": \"v2\"}");
  EXPECT_FALSE(core::FileExists(Installed("node_type_index.json")));
  EXPECT_THAT(ModelPathEntries(), ElementsAre(kPipeline));
}

TEST_F(PipelineFetcherTest, EntryEscapingTheFolderIsRejected) {
  std::string zip = RawZip(dir_ + "/hostile.zip", {{"metadata.json", "{}"},
                                                   {"../evil.json", "x"}});
  absl::Status status = Install(zip);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("../evil.json"));
  EXPECT_FALSE(core::FileExists(dir_ + "/evil.json"));
  EXPECT_THAT(ModelPathEntries(), IsEmpty());
}

TEST_F(PipelineFetcherTest, BadNestedModelArchiveFailsTheWholePipeline) {
  ASSERT_TRUE(Install(*pipeline_zip_).ok());
  std::string hostile =
      RawZip(dir_ + "/nested.zip", {{"../../../evil.json", "x"}});
  for (const std::string& nested : {std::string("not a zip"), hostile}) {
    absl::Status status = Install(MustZip(
        {{"metadata.json", "{}"}, {"rapl-sysfs/AbsPower/BPFOnly/M_0.zip", nested}}));
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_THAT(std::string(status.message()), HasSubstr("M_0.zip"));
    ExpectGoodInstall();
  }
}

TEST_F(PipelineFetcherTest, NestedArchivesShareOneBudget) {
  std::string model = MustZip({{"package.json", std::string(600, 'w')}});
  std::string zip = MustZip(
      {{"metadata.json", "{}"}, {"a/M_0.zip", model}, {"a/M_1.zip", model}});
  PipelineArchiveLimits limits;
  limits.max_model_bytes = 1000;  // Each nested archive fits; both do not.
  absl::Status status =
      InstallPipelineArchive(zip, model_path_, kPipeline, limits);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("M_1.zip"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("max_model_bytes=1000"));
  EXPECT_THAT(ModelPathEntries(), IsEmpty());
  limits = PipelineArchiveLimits();
  limits.max_model_entries = 1;
  status = InstallPipelineArchive(zip, model_path_, kPipeline, limits);
  EXPECT_THAT(std::string(status.message()), HasSubstr("max_model_entries=1 entries in all"));
  // One model archive is held to the per-archive limits whatever the database budget.
  limits = PipelineArchiveLimits();
  limits.model.max_entry_bytes = 100;
  status = InstallPipelineArchive(zip, model_path_, kPipeline, limits);
  EXPECT_THAT(std::string(status.message()), HasSubstr("M_0.zip"));
  EXPECT_THAT(ModelPathEntries(), IsEmpty());
}

// A database the size of the published specpower-0.7.11 (5,151 model archives holding 21,192
// entries, 7,797 files in the pipeline zip), generated here: installs with the default limits.
// Before, every model archive was charged against one budget made of the per-archive limits,
// and the full database ran it to zero.
TEST_F(PipelineFetcherTest, FullSizeDatabaseInstalls) {
  std::vector<core::ArchiveEntry> files = {{"metadata.json", R"({"name": "specpower-0.7.11"})"},
                                           {"node_type_index.json", "{}"}};
  const std::string model = MustZip({{"metadata.json", "{\"model_name\": \"M\"}"},
                                     {"M.json", "{}"},
                                     {"scaler.pkl", std::string(471, 's')},
                                     {"package.pkl", std::string(800, 'p')}});
  for (int i = 0; i < 5300; ++i) {
    const std::string name = absl::StrCat("acpi/AbsPower/G", i % 10, "/SVRRegressorTrainer_", i);
    files.push_back({name + ".zip", model});
    if (i % 2 == 0) files.push_back({name + ".json", "{\"platform\": {}}"});
  }
  ASSERT_GT(files.size(), 7797u);
  const std::string zip = MustZip(std::move(files));
  absl::Status status = InstallPipelineArchive(zip, model_path_, kPipeline);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(core::FileExists(
      Installed("acpi/AbsPower/G9/SVRRegressorTrainer_5299/package.pkl")));
  EXPECT_TRUE(core::FileExists(
      Installed("acpi/AbsPower/G0/SVRRegressorTrainer_0/weight.json")));
}

TEST_F(PipelineFetcherTest, ArchiveWrappedInTopFolderIsAccepted) {
  absl::StatusOr<std::vector<core::ArchiveEntry>> entries =
      core::ReadZip(*pipeline_zip_, core::ArchiveLimits());
  ASSERT_TRUE(entries.ok()) << entries.status();
  for (core::ArchiveEntry& entry : *entries) {
    entry.name = absl::StrCat(kPipeline, "/", entry.name);
  }
  ASSERT_TRUE(Install(MustZip(*std::move(entries))).ok());
  ExpectGoodInstall();
}

TEST_F(PipelineFetcherTest, ArchiveWithoutMetadataIsRejected) {
  absl::Status status = Install(MustZip({{"a/readme.txt", "no metadata"}}));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("metadata.json"));
  EXPECT_THAT(ModelPathEntries(), IsEmpty());
}

TEST_F(PipelineFetcherTest, FileUrlAndLocalPathWork) {
  std::string path = ServedPath(absl::StrCat(kPipeline, ".zip"));
  for (const std::string& url : {"file://" + path, path}) {
    ASSERT_TRUE(core::RemoveAll(model_path_).ok());
    std::vector<FetchReport> reports = Fetch({url});
    EXPECT_TRUE(reports[0].status.ok()) << url << ": " << reports[0].status;
    ExpectGoodInstall();
  }
}

TEST_F(PipelineFetcherTest, HostileNameIsRejectedBeforeFetching) {
  std::vector<FetchReport> reports =
      Fetch({server_->Url("..%2F..%2Fevil.zip"), server_->Url("evil")});
  for (const FetchReport& report : reports) {
    EXPECT_EQ(report.status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(report.pipeline, "");
  }
  EXPECT_EQ(server_->request_count(), 0);
  absl::Status status = InstallPipelineArchive(*pipeline_zip_, model_path_,
                                               "../evil");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(core::FileExists(dir_ + "/evil"));
}

}  // namespace
}  // namespace kepler::model::server
