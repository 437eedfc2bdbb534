#include "core/xgboost_forest.h"

#include <cctype>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/archive.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "xgboost/c_api.h"

namespace kepler::model::core {
namespace {

using ::testing::HasSubstr;

constexpr char kEc2Xgboost[] =
    "testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/XgboostFitTrainer_0.zip";

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

// A booster trained by libxgboost (the reference's library) on random data, and its own
// predictions, to compare with XgboostForest bit for bit.
class TrainedBooster {
 public:
  TrainedBooster(const std::map<std::string, std::string>& params, int features, int rounds,
                 uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> uniform(0, 1);
    const int rows = 400;
    std::vector<float> x(rows * features), y(rows);
    for (int r = 0; r < rows; ++r) {
      float sum = 0;
      for (int c = 0; c < features; ++c) {
        // Some missing values, so that default directions are learnt and used.
        const float v = uniform(rng) < 0.1f ? NAN : uniform(rng) * 100;
        x[r * features + c] = v;
        if (!std::isnan(v)) sum += v * (c + 1);
      }
      y[r] = params.count("binary") ? (sum > 50.0f * features ? 1.0f : 0.0f) : 1 + sum / 10;
    }
    DMatrixHandle train;
    EXPECT_EQ(XGDMatrixCreateFromMat(x.data(), rows, features, NAN, &train), 0);
    EXPECT_EQ(XGDMatrixSetFloatInfo(train, "label", y.data(), rows), 0);
    EXPECT_EQ(XGBoosterCreate(&train, 1, &booster_), 0);
    for (const auto& [key, value] : params) {
      if (key != "binary") {
        EXPECT_EQ(XGBoosterSetParam(booster_, key.c_str(), value.c_str()), 0);
      }
    }
    EXPECT_EQ(XGBoosterSetParam(booster_, "nthread", "1"), 0);
    for (int i = 0; i < rounds; ++i) EXPECT_EQ(XGBoosterUpdateOneIter(booster_, i, train), 0);
    XGDMatrixFree(train);
    bst_ulong length = 0;
    const char* data = nullptr;
    EXPECT_EQ(XGBoosterSaveModelToBuffer(booster_, R"({"format": "json"})", &length, &data), 0);
    json_.assign(data, length);
  }
  ~TrainedBooster() { XGBoosterFree(booster_); }

  const std::string& json() const { return json_; }

  std::vector<float> Predict(const std::vector<float>& x, int features) {
    DMatrixHandle m;
    EXPECT_EQ(XGDMatrixCreateFromMat(x.data(), x.size() / features, features, NAN, &m), 0);
    bst_ulong n = 0;
    const float* out = nullptr;
    EXPECT_EQ(XGBoosterPredict(booster_, m, 0, 0, 0, &n, &out), 0);
    std::vector<float> result(out, out + n);
    XGDMatrixFree(m);
    return result;
  }

 private:
  BoosterHandle booster_ = nullptr;
  std::string json_;
};

// Inputs around and on the learnt thresholds, below and above the data, and missing.
std::vector<float> Probes(int rows, int features, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uniform(-20, 120);
  std::vector<float> x(rows * features);
  for (float& v : x) v = uniform(rng) < -10 ? NAN : std::round(uniform(rng) * 4) / 4;
  return x;
}

struct Case {
  std::map<std::string, std::string> params;
  int features;
};

// Test names like "reg_squarederror_1_features".
std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  std::string name = info.param.params.at("objective") + "_" +
                     std::to_string(info.param.features) + "_features";
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class LibxgboostParityTest : public ::testing::TestWithParam<Case> {};

TEST_P(LibxgboostParityTest, PredictsWhatLibxgboostPredictsBitForBit) {
  const Case& c = GetParam();
  TrainedBooster booster(c.params, c.features, 30, 11);
  const std::vector<float> x = Probes(2000, c.features, 5);
  const std::vector<float> want = booster.Predict(x, c.features);
  const std::vector<double> xd(x.begin(), x.end());
  for (bool allow_table : {true, false}) {
    auto forest = XgboostForest::FromJson(booster.json(), allow_table);
    ASSERT_TRUE(forest.ok()) << forest.status();
    EXPECT_EQ(forest->num_features(), static_cast<size_t>(c.features));
    if (!allow_table) {
      EXPECT_FALSE(forest->uses_table());
    }
    std::vector<double> got(want.size());
    forest->Predict(xd.data(), want.size(), got.data());
    for (size_t r = 0; r < want.size(); ++r) {
      ASSERT_EQ(static_cast<float>(got[r]), want[r]) << "row " << r << " table " << allow_table;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Objectives, LibxgboostParityTest,
    ::testing::Values(
        // The reference's XGBRegressor defaults, on one feature (compiles to a table) and on
        // five (too many cells: walks the trees).
        Case{{{"objective", "reg:squarederror"}, {"eta", "0.1"}}, 1},
        Case{{{"objective", "reg:squarederror"}, {"eta", "0.1"}, {"max_depth", "8"}}, 5},
        Case{{{"objective", "count:poisson"}}, 2}, Case{{{"objective", "reg:gamma"}}, 3},
        Case{{{"objective", "reg:tweedie"}}, 1},
        Case{{{"objective", "reg:pseudohubererror"}}, 2},
        Case{{{"objective", "reg:logistic"}, {"binary", ""}}, 2},
        Case{{{"objective", "binary:logitraw"}, {"binary", ""}}, 3},
        Case{{{"objective", "binary:logistic"}, {"binary", ""}, {"base_score", "0.3"}}, 4}),
    CaseName);

TEST(XgboostForestTest, PublishedArchiveCompilesToTables) {
  for (const char* component : {"package.json", "core.json", "dram.json"}) {
    auto forest = XgboostForest::FromJson(ZipEntry(kEc2Xgboost, component));
    ASSERT_TRUE(forest.ok()) << component << ": " << forest.status();
    auto walker = XgboostForest::FromJson(ZipEntry(kEc2Xgboost, component), false);
    ASSERT_TRUE(walker.ok());
    EXPECT_TRUE(forest->uses_table()) << component;
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> uniform(-0.1, 1.5);
    std::vector<double> x(2 * 5000);
    for (double& v : x) v = uniform(rng);
    std::vector<double> a(5000), b(5000);
    forest->Predict(x.data(), 5000, a.data());
    walker->Predict(x.data(), 5000, b.data());
    EXPECT_EQ(a, b) << component;
  }
}

TEST(XgboostForestTest, RejectsWhatItCannotEvaluate) {
  const std::string good = ZipEntry(kEc2Xgboost, "package.json");
  const auto error = [](const std::string& json) {
    return std::string(XgboostForest::FromJson(json).status().message());
  };
  EXPECT_THAT(error("not json"), HasSubstr("not JSON"));
  EXPECT_THAT(error("{\"learner\": 1}"), HasSubstr("\"learner\" is not an object"));
  const auto replaced = [&](const std::string& from, const std::string& to) {
    std::string json = good;
    const size_t pos = json.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    return pos == std::string::npos ? json : json.replace(pos, from.size(), to);
  };
  EXPECT_THAT(error(replaced("\"name\":\"gbtree\"", "\"name\":\"gblinear\"")),
              HasSubstr("only gbtree"));
  EXPECT_THAT(error(replaced("reg:squarederror", "multi:softprob")),
              HasSubstr("unsupported objective multi:softprob"));
  EXPECT_THAT(error(replaced("\"num_target\":\"1\"", "\"num_target\":\"3\"")),
              HasSubstr("single-output"));
  EXPECT_THAT(error(replaced("\"split_type\":[0,", "\"split_type\":[1,")),
              HasSubstr("categorical"));
  // The first tree's root pointing at itself, and at a node past the end.
  EXPECT_THAT(error(replaced("\"left_children\":[1,", "\"left_children\":[0,")),
              HasSubstr("invalid children"));
  EXPECT_THAT(error(replaced("\"left_children\":[1,", "\"left_children\":[99999,")),
              HasSubstr("invalid children"));
  EXPECT_THAT(error(replaced("\"split_indices\":[0,", "\"split_indices\":[7,")),
              HasSubstr("splits on feature 7 of 2"));
  EXPECT_THAT(error(replaced("\"base_score\":\"2.3624829E2\"", "\"base_score\":\"inf\"")),
              HasSubstr("base_score is not a finite number"));
}

// xgboost 3 writes base_score as a one-element vector in a string.
TEST(XgboostForestTest, ReadsVectorBaseScore) {
  const std::string v2 = ZipEntry(kEc2Xgboost, "package.json");
  std::string v3 = v2;
  const std::string from = "\"base_score\":\"2.3624829E2\"";
  ASSERT_NE(v3.find(from), std::string::npos);
  v3.replace(v3.find(from), from.size(), "\"base_score\":\"[2.3624829E2]\"");
  auto a = XgboostForest::FromJson(v2);
  auto b = XgboostForest::FromJson(v3);
  ASSERT_TRUE(a.ok() && b.ok()) << b.status();
  const double row[2] = {0.3, 0.1};
  double ya = 0, yb = 1;
  a->Predict(row, 1, &ya);
  b->Predict(row, 1, &yb);
  EXPECT_EQ(ya, yb);
  v3.replace(v3.find("[2.3624829E2]"), 13, "[2.3624829E2,1]");
  EXPECT_FALSE(XgboostForest::FromJson(v3).ok());
}

// Truncated and mutated documents: an error or a valid forest, never a crash or a hang.
TEST(XgboostForestTest, SurvivesTruncatedAndMutatedDocuments) {
  const std::string good = ZipEntry(kEc2Xgboost, "core.json");
  for (size_t n = 0; n < good.size(); n += 97) {
    EXPECT_FALSE(XgboostForest::FromJson(good.substr(0, n)).ok()) << n;
  }
  std::mt19937 rng(9);
  const char digits[] = "0123456789-,[]";
  for (int i = 0; i < 300; ++i) {
    std::string json = good;
    for (int k = 0; k < 3; ++k) json[rng() % json.size()] = digits[rng() % (sizeof(digits) - 1)];
    auto forest = XgboostForest::FromJson(json);
    if (forest.ok()) {
      const double row[2] = {0.5, 0.5};
      double out = 0;
      forest->Predict(row, 1, &out);
    }
  }
}

}  // namespace
}  // namespace kepler::model::core
