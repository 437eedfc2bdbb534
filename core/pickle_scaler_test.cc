#include "core/pickle_scaler.h"

#include <random>
#include <string>

#include "core/archive.h"
#include "core/file_util.h"
#include "core/weight_document.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Fixtures (testdata/README.md): published model archives, whose scaler.pkl files are joblib
// dumps of sklearn 1.5.1 MaxAbsScalers, and numpy-only pickles of protocols 2-5 written by
// tools/parity/pickle_fixtures.py.
constexpr char kEc2[] = "testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/";
constexpr char kSpec[] = "testdata/model-db/specpower-0.7.11/acpi/AbsPower/BPFOnly/";

std::string ZipEntry(const std::string& zip, const std::string& name) {
  auto entries = ReadZipFile(zip, ArchiveLimits());
  EXPECT_TRUE(entries.ok()) << entries.status();
  if (entries.ok()) {
    for (const ArchiveEntry& entry : *entries) {
      if (entry.name == name) return entry.data;
    }
  }
  ADD_FAILURE() << zip << " has no " << name;
  return "";
}

std::string Read(const std::string& path) {
  auto data = ReadFile(path);
  EXPECT_TRUE(data.ok()) << data.status();
  return data.ok() ? *data : "";
}

std::vector<double> WeightScales(const std::string& weight_json) {
  auto doc = ParseWeightDocument(Read(weight_json));
  EXPECT_TRUE(doc.ok()) << doc.status();
  std::vector<double> out;
  for (const auto& var : doc->components(0).numerical_variables()) out.push_back(var.scale());
  return out;
}

TEST(PickleScalerTest, ReadsPublishedJoblibScaler) {
  auto scaler = ReadMaxAbsScalerPickle(
      ZipEntry(std::string(kEc2) + "XgboostFitTrainer_0.zip", "scaler.pkl"));
  ASSERT_TRUE(scaler.ok()) << scaler.status();
  EXPECT_THAT(scaler->scale, ElementsAre(95877.00000000001, 1.0));
  EXPECT_EQ(scaler->n_features_in, 2);
}

// The weight document published beside an archive carries the same scaler's scale_.
TEST(PickleScalerTest, AgreesWithPublishedWeightDocuments) {
  for (const std::string dir : {kEc2, kSpec}) {
    auto scaler = ReadMaxAbsScalerPickle(ZipEntry(dir + "SGDRegressorTrainer_0.zip", "scaler.pkl"));
    ASSERT_TRUE(scaler.ok()) << scaler.status();
    EXPECT_EQ(scaler->scale, WeightScales(dir + "SGDRegressorTrainer_0.json")) << dir;
  }
}

class NumpyProtocolTest : public ::testing::TestWithParam<int> {};

TEST_P(NumpyProtocolTest, ReadsPlainNumpyPickles) {
  auto scaler = ReadMaxAbsScalerPickle(
      Read("testdata/pickle/scaler_numpy_p" + std::to_string(GetParam()) + ".pkl"));
  ASSERT_TRUE(scaler.ok()) << scaler.status();
  EXPECT_THAT(scaler->scale, ElementsAre(95877.00000000001, 1.0, 3.5));
  EXPECT_EQ(scaler->n_features_in, 3);
}

INSTANTIATE_TEST_SUITE_P(Protocols, NumpyProtocolTest, ::testing::Values(2, 3, 4, 5));

// Found by fuzz/pickle_scaler_fuzzer: an empty scale_ reached memcpy with a null destination.
TEST(PickleScalerTest, RejectsScalerFittedOnNoFeatures) {
  EXPECT_THAT(ReadMaxAbsScalerPickle(Read("testdata/pickle/scaler_empty_p4.pkl")).status().message(),
              HasSubstr("scale_ is empty"));
}

TEST(PickleScalerTest, RejectsCodeExecutingGlobals) {
  auto evil = ReadMaxAbsScalerPickle(Read("testdata/pickle/evil_os_system.pkl"));
  EXPECT_EQ(evil.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(evil.status().message(), HasSubstr("unsupported pickle global posix.system"));
  // Protocol 2 GLOBAL opcode: os.system("ls").
  const std::string os_system("\x80\x02" "cos\nsystem\n" "X\x02\x00\x00\x00ls" "\x85R.", 21);
  EXPECT_THAT(ReadMaxAbsScalerPickle(os_system).status().message(),
              HasSubstr("unsupported pickle global os.system"));
}

TEST(PickleScalerTest, RejectsUnsupportedOpcodes) {
  // PERSID (a persistent id the loader would resolve) is outside the supported set.
  EXPECT_THAT(ReadMaxAbsScalerPickle("\x80\x04P1\n.").status().message(),
              HasSubstr("unsupported pickle opcode 0x50"));
  EXPECT_THAT(ReadMaxAbsScalerPickle("\x80\x01N.").status().message(),
              HasSubstr("unsupported pickle protocol 1"));
}

TEST(PickleScalerTest, RejectsWellFormedPicklesOfOtherThings) {
  EXPECT_THAT(ReadMaxAbsScalerPickle(std::string("\x80\x04}\x94.", 5)).status().message(),
              HasSubstr("not a MaxAbsScaler"));
  // A list that contains itself through the memo: parsed without looping, then rejected.
  EXPECT_THAT(ReadMaxAbsScalerPickle(std::string("\x80\x04]\x94h\x00" "a.", 8)).status().message(),
              HasSubstr("not a MaxAbsScaler"));
  EXPECT_FALSE(ReadMaxAbsScalerPickle("").ok());
}

// Found while writing fuzz/pickle_scaler_fuzzer: each one-byte EMPTY_TUPLE or MEMOIZE opcode made
// a ~200-byte value or a memo entry, so a 1 MB scaler.pkl took ~180 MB before being rejected.
TEST(PickleScalerTest, BoundsValuesAndMemoEntries) {
  const std::string tuples = "\x80\x02" + std::string(1000000, ')') + ".";
  EXPECT_THAT(ReadMaxAbsScalerPickle(tuples).status().message(),
              HasSubstr("values"));
  const std::string memo = "\x80\x02)" + std::string(1000000, '\x94') + ".";
  EXPECT_THAT(ReadMaxAbsScalerPickle(memo).status().message(), HasSubstr("values"));
}

TEST(PickleScalerTest, RejectsEveryTruncation) {
  const std::string good = ZipEntry(std::string(kEc2) + "XgboostFitTrainer_0.zip", "scaler.pkl");
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_EQ(ReadMaxAbsScalerPickle(good.substr(0, n)).status().code(),
              absl::StatusCode::kInvalidArgument)
        << "prefix " << n;
  }
}

// Random and mutated inputs must give OK or InvalidArgument, never a crash or hang.
TEST(PickleScalerTest, SurvivesRandomAndMutatedBytes) {
  std::mt19937 rng(7);
  const std::string good = ZipEntry(std::string(kEc2) + "XgboostFitTrainer_0.zip", "scaler.pkl");
  const std::string numpy = Read("testdata/pickle/scaler_numpy_p2.pkl");
  for (int i = 0; i < 20000; ++i) {
    std::string input;
    if (i % 3 == 0) {
      input.resize(rng() % 64);
      for (char& c : input) c = static_cast<char>(rng());
    } else {
      input = i % 3 == 1 ? good : numpy;
      for (int k = 1 + rng() % 4; k > 0; --k) input[rng() % input.size()] = static_cast<char>(rng());
    }
    auto result = ReadMaxAbsScalerPickle(input);
    if (!result.ok()) {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    }
  }
}

}  // namespace
}  // namespace kepler::model::core
