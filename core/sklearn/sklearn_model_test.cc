// Golden parity: every pickled archive of testdata/model-db (scikit-learn 1.5.1, as published)
// and testdata/model-db-sklearn12 (scikit-learn 1.2 layouts) evaluates to what scikit-learn
// predicted for it (testdata/golden/sklearn*/, written by tools/parity/sklearn_golden.py):
// bit for bit for trees, within 1e-12 relative for linear models and 1e-9 for the others; KNN
// rows whose k-th and (k+1)-th neighbours tie with different targets are excluded (there the
// documented lowest-index rule decides, tested in knn_estimator_test).
#include "core/sklearn/sklearn_model.h"

#include <cmath>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "core/archive.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "core/model_metadata.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core::sklearn {
namespace {

ModelFiles ArchiveFiles(const std::string& path) {
  ModelFiles files;
  auto entries = ReadZipFile(path, ArchiveLimits());
  EXPECT_TRUE(entries.ok()) << path << ": " << entries.status();
  if (entries.ok()) {
    for (ArchiveEntry& entry : *entries) files[entry.name] = std::move(entry.data);
  }
  return files;
}

absl::StatusOr<std::shared_ptr<const Model>> LoadArchive(const std::string& path) {
  ModelFiles files = ArchiveFiles(path);
  auto metadata = ParseModelMetadata(files["metadata.json"]);
  if (!metadata.ok()) return metadata.status();
  return LoadSklearnModel(files, *metadata);
}

// Allowed relative error for the model family named in the archive's file name; 0 = exact.
double Tolerance(const std::string& archive) {
  if (absl::StrContains(archive, "GradientBoosting")) return 0;
  if (absl::StrContains(archive, "LinearRegression") || absl::StrContains(archive, "SGD") ||
      absl::StrContains(archive, "Polynomial")) {
    return 1e-12;
  }
  return 1e-9;
}

std::vector<std::string> GoldenFiles() {
  std::vector<std::string> out;
  for (const std::string dir : {"testdata/golden/sklearn", "testdata/golden/sklearn12"}) {
    auto names = ListDir(dir);
    EXPECT_TRUE(names.ok()) << names.status();
    if (!names.ok()) continue;
    for (const std::string& name : *names) {
      if (absl::EndsWith(name, ".json")) out.push_back(dir + "/" + name);
    }
  }
  return out;
}

// Every archive with pickled components in the published fixtures loads and predicts.
TEST(SklearnModelTest, LoadsEveryPublishedPickleArchive) {
  int loaded = 0;
  for (const std::string dir : {"testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly",
                                "testdata/model-db/ec2-0.7.11/rapl-sysfs/DynPower/BPFOnly",
                                "testdata/model-db/specpower-0.7.11/acpi/AbsPower/BPFOnly"}) {
    auto names = ListDir(dir);
    ASSERT_TRUE(names.ok()) << names.status();
    for (const std::string& name : *names) {
      if (!absl::EndsWith(name, ".zip") || absl::StartsWith(name, "Xgboost")) continue;
      SCOPED_TRACE(name);
      auto model = LoadArchive(dir + "/" + name);
      ASSERT_TRUE(model.ok()) << dir << "/" << name << ": " << model.status();
      FeatureTable table{{"bpf_cpu_time_ms", "bpf_page_cache_hit"}, {1000, 1, 50000, 2}};
      auto powers = (*model)->Predict(table);
      ASSERT_TRUE(powers.ok()) << powers.status();
      EXPECT_EQ((*powers)[0].size(), 2u);
      ++loaded;
    }
  }
  EXPECT_EQ(loaded, 34);
}

TEST(SklearnModelTest, EveryGoldenArchiveMatchesScikitLearn) {
  const std::vector<std::string> goldens = GoldenFiles();
  ASSERT_GE(goldens.size(), 30u) << "every pickled fixture archive has a golden file";
  std::set<std::string> families;
  for (const std::string& golden_path : goldens) {
    SCOPED_TRACE(golden_path);
    auto text = ReadFile(golden_path);
    ASSERT_TRUE(text.ok()) << text.status();
    auto golden = ParseJson(*text);
    ASSERT_TRUE(golden.ok()) << golden.status();
    const std::string archive(StringView((*golden)["archive"]));
    auto model = LoadArchive(archive);
    ASSERT_TRUE(model.ok()) << archive << ": " << model.status();
    families.insert(std::string((*model)->family()));
    FeatureTable table;
    for (const auto& f : (*golden)["features"].GetArray()) table.columns.emplace_back(StringView(f));
    for (const auto& row : (*golden)["inputs"].GetArray()) {
      for (const auto& v : row.GetArray()) table.values.push_back(v.GetDouble());
    }
    auto powers = (*model)->Predict(table);
    ASSERT_TRUE(powers.ok()) << powers.status();
    const double tolerance = Tolerance(archive);
    const rapidjson::Value& outputs = (*golden)["outputs"];
    ASSERT_EQ(outputs.MemberCount(), (*model)->components().size());
    for (size_t c = 0; c < (*model)->components().size(); ++c) {
      const std::string& component = (*model)->components()[c];
      std::set<int> ties;
      if (const rapidjson::Value* knn = FindMember(*golden, "knn_ties")) {
        if (const rapidjson::Value* rows = FindMember(*knn, component)) {
          for (const auto& r : rows->GetArray()) ties.insert(r.GetInt());
        }
      }
      const rapidjson::Value& expected = outputs[component.c_str()];
      ASSERT_EQ(expected.Size(), table.rows());
      for (size_t r = 0; r < table.rows(); ++r) {
        if (ties.count(static_cast<int>(r)) > 0) continue;
        const double want = expected[r].GetDouble(), got = (*powers)[c][r];
        if (tolerance == 0) {
          EXPECT_EQ(got, want) << component << " row " << r;
        } else {
          EXPECT_LE(std::abs(got - want), tolerance * std::max(1.0, std::abs(want)))
              << component << " row " << r << ": " << got << " vs " << want;
        }
      }
    }
  }
  EXPECT_THAT(families, ::testing::IsSupersetOf({"gradient-boosting", "k-neighbours", "svr",
                                                 "LinearRegression", "polynomial", "CurveFit"}));
}

// A joblib pickle of a KNeighborsRegressor as scikit-learn writes it (protocol 2, fit set and
// targets as NumpyArrayWrapper + raw aligned bytes), of any size.
class KnnPickleWriter {
 public:
  std::string Write(int rows, int features, std::mt19937& rng) {
    out_ = "\x80\x02";
    Global("sklearn.neighbors._regression", "KNeighborsRegressor");
    out_ += ")\x81}(";  // EMPTY_TUPLE NEWOBJ EMPTY_DICT MARK
    Key("n_neighbors"), out_ += "K\x06";
    Key("weights"), Text("uniform");
    Key("metric"), Text("minkowski");
    Key("p"), out_ += "K\x02";
    Key("effective_metric_"), Text("euclidean");
    std::uniform_real_distribution<double> value(0, 1);
    std::vector<double> x(static_cast<size_t>(rows) * features), y(rows);
    for (double& v : x) v = value(rng);
    for (double& v : y) v = 100 * value(rng);
    Key("_fit_X"), Array(x, {rows, features});
    Key("_y"), Array(y, {rows});
    out_ += "ub.";  // SETITEMS BUILD STOP
    return out_;
  }

 private:
  void Text(const std::string& s) {
    out_ += "X";
    const uint32_t n = s.size();
    out_.append(reinterpret_cast<const char*>(&n), 4);
    out_ += s;
  }
  void Key(const std::string& s) { Text(s); }
  void Global(const std::string& module, const std::string& name) {
    out_ += "c" + module + "\n" + name + "\n";
  }
  void Int(int64_t v) {
    out_ += "J";
    const auto n = static_cast<int32_t>(v);
    out_.append(reinterpret_cast<const char*>(&n), 4);
  }
  void Array(const std::vector<double>& data, const std::vector<int64_t>& shape) {
    Global("joblib.numpy_pickle", "NumpyArrayWrapper");
    out_ += ")\x81}(";
    Key("subclass"), Global("numpy", "ndarray");
    Key("shape"), out_ += "(";
    for (int64_t d : shape) Int(d);
    out_ += "t";
    Key("order"), Text("C");
    Key("dtype"), Global("numpy", "dtype");
    Text("f8"), out_ += "\x89\x88\x87R(K\x03", Text("<"), out_ += "NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xff";
    out_ += std::string("K\x00tb", 4);
    Key("allow_mmap"), out_ += "\x88";
    Key("numpy_array_alignment_bytes"), out_ += "K\x10";
    out_ += "ub";
    const size_t padding = 16 - (out_.size() + 1) % 16;
    out_.push_back(static_cast<char>(padding));
    out_.append(padding, '\xff');
    out_.append(reinterpret_cast<const char*>(data.data()), data.size() * sizeof(double));
  }

  std::string out_;
};

// Full-size KNN pickles: a 200,000-row fit set of 8 features (12.8 MB of arrays) loads and
// predicts; one past the per-file limits is refused with the limit named.
TEST(SklearnModelTest, LargeKnnPicklesLoadWithinTheLimits) {
  std::mt19937 rng(9);
  KnnPickleWriter writer;
  const std::string large = writer.Write(200'000, 8, rng);
  ASSERT_GT(large.size(), 12'000'000u);
  auto knn = ReadSklearnRegressor(large, 8);
  ASSERT_TRUE(knn.ok()) << knn.status();
  std::vector<double> x(8, 0.5);
  double out = -1;
  (*knn)->Predict(x.data(), 1, &out);
  EXPECT_GE(out, 0);
  EXPECT_LE(out, 100);
  const std::string huge = writer.Write(1'100'000, 8, rng);  // 70 MB
  auto refused = ReadSklearnRegressor(huge, 8);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()), ::testing::HasSubstr("over the limit"));
}

}  // namespace
}  // namespace kepler::model::core::sklearn
