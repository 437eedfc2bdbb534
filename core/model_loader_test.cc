#include "core/model_loader.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "core/archive.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "core/weight_document.h"
#include "core/weight_model.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Fixtures (testdata/README.md): published archives and weight documents, and golden xgboost
// predictions made offline by tools/parity/xgboost_golden.py with Python xgboost.
constexpr char kEc2[] = "testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/";
constexpr char kSpec[] = "testdata/model-db/specpower-0.7.11/acpi/AbsPower/BPFOnly/";

std::string Read(const std::string& path) {
  auto data = ReadFile(path);
  EXPECT_TRUE(data.ok()) << data.status();
  return data.ok() ? *data : "";
}

ModelFiles Unzip(const std::string& path) {
  ModelFiles files;
  auto entries = ReadZipFile(path, ArchiveLimits());
  EXPECT_TRUE(entries.ok()) << entries.status();
  if (entries.ok()) {
    for (ArchiveEntry& e : *entries) files[e.name] = std::move(e.data);
  }
  return files;
}

std::shared_ptr<const Model> Load(const ModelFiles& files, absl::string_view group = "BPFOnly") {
  auto model = LoadModelFromFiles(files, group);
  EXPECT_TRUE(model.ok()) << model.status();
  return model.ok() ? *model : nullptr;
}

struct Golden {
  FeatureTable inputs;
  std::vector<std::string> components;
  ComponentPowers outputs;
};

Golden ReadGolden(const std::string& path) {
  auto doc = ParseJson(Read(path));
  EXPECT_TRUE(doc.ok()) << doc.status();
  Golden g;
  for (const auto& f : (*doc)["features"].GetArray()) g.inputs.columns.emplace_back(f.GetString());
  for (const auto& row : (*doc)["inputs"].GetArray()) {
    for (const auto& v : row.GetArray()) g.inputs.values.push_back(v.GetDouble());
  }
  for (const auto& c : (*doc)["outputs"].GetObject()) {
    g.components.emplace_back(c.name.GetString());
    g.outputs.emplace_back();
    for (const auto& v : c.value.GetArray()) g.outputs.back().push_back(v.GetDouble());
  }
  return g;
}

void ExpectMatchesGolden(const Model& model, const Golden& golden) {
  EXPECT_EQ(model.components(), golden.components);
  auto powers = model.Predict(golden.inputs);
  ASSERT_TRUE(powers.ok()) << powers.status();
  for (size_t c = 0; c < golden.outputs.size(); ++c) {
    ASSERT_EQ((*powers)[c].size(), golden.outputs[c].size());
    for (size_t r = 0; r < golden.outputs[c].size(); ++r) {
      const double want = golden.outputs[c][r];
      EXPECT_NEAR((*powers)[c][r], want, 1e-6 * std::max(1.0, want)) << golden.components[c] << r;
    }
  }
}

struct GoldenCase {
  const char* archive;
  const char* golden;
};

class XgboostGoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(XgboostGoldenTest, MatchesPythonXgboost) {
  auto model = Load(Unzip(GetParam().archive));
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->family(), "xgboost");
  EXPECT_THAT(model->features(), ElementsAre("bpf_cpu_time_ms", "bpf_page_cache_hit"));
  ExpectMatchesGolden(*model, ReadGolden(GetParam().golden));
}

INSTANTIATE_TEST_SUITE_P(
    Published, XgboostGoldenTest,
    ::testing::Values(GoldenCase{"testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/XgboostFitTrainer_0.zip",
                                 "testdata/golden/xgboost_ec2_0.json"},
                      GoldenCase{"testdata/model-db/specpower-0.7.11/acpi/AbsPower/BPFOnly/XgboostFitTrainer_0.zip",
                                 "testdata/golden/xgboost_specpower_0.json"}));

// The weight document an XgboostFitTrainer would write: scales per feature, base64 boosters.
v1::WeightDocument XgboostWeights(const ModelFiles& files, bool with_boosters) {
  v1::WeightDocument doc;
  for (const char* name : {"package", "core", "uncore", "dram"}) {
    v1::ComponentWeights* c = doc.add_components();
    c->set_component(name);
    for (auto [feature, scale] : {std::make_pair("bpf_cpu_time_ms", 95877.00000000001),
                                  std::make_pair("bpf_page_cache_hit", 1.0)}) {
      c->add_feature_names(feature);
      c->add_numerical_variables()->set_scale(scale);
    }
    if (with_boosters) c->set_xgboost_weights(absl::Base64Escape(files.at(name + std::string(".json"))));
  }
  return doc;
}

TEST(XgboostLoaderTest, FallsBackToWeightDocumentScales) {
  ModelFiles files = Unzip(std::string(kEc2) + "XgboostFitTrainer_0.zip");
  files["scaler.pkl"] = "not a pickle";
  EXPECT_THAT(LoadModelFromFiles(files, "BPFOnly").status().message(), HasSubstr("pickle"));
  files["weight.json"] = *WriteWeightDocument(XgboostWeights(files, false), {});
  auto model = Load(files);
  ASSERT_NE(model, nullptr);
  ExpectMatchesGolden(*model, ReadGolden("testdata/golden/xgboost_ec2_0.json"));
  files.erase("scaler.pkl");
  model = Load(files);
  ASSERT_NE(model, nullptr);
  ExpectMatchesGolden(*model, ReadGolden("testdata/golden/xgboost_ec2_0.json"));
  files.erase("weight.json");
  EXPECT_THAT(LoadModelFromFiles(files, "BPFOnly").status().message(), HasSubstr("no scaler.pkl"));
}

TEST(XgboostLoaderTest, RejectsHostileScalerPickle) {
  ModelFiles files = Unzip(std::string(kEc2) + "XgboostFitTrainer_0.zip");
  files["scaler.pkl"] = Read("testdata/pickle/evil_os_system.pkl");
  auto model = LoadModelFromFiles(files, "BPFOnly");
  EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(model.status().message(), HasSubstr("unsupported pickle global posix.system"));
}

TEST(XgboostLoaderTest, LoadsXgboostWeightDocuments) {
  const ModelFiles files = Unzip(std::string(kEc2) + "XgboostFitTrainer_0.zip");
  auto model = LoadWeightModel(XgboostWeights(files, true), "XgboostFitTrainer", v1::BPFOnly);
  ASSERT_TRUE(model.ok()) << model.status();
  ExpectMatchesGolden(**model, ReadGolden("testdata/golden/xgboost_ec2_0.json"));
}

TEST(XgboostLoaderTest, ReportsBrokenOrMissingFiles) {
  ModelFiles files = Unzip(std::string(kEc2) + "XgboostFitTrainer_0.zip");
  files["dram.json"] = "{\"learner\": 1}";
  EXPECT_THAT(LoadModelFromFiles(files, "").status().message(), HasSubstr("xgboost model dram"));
  files.erase("dram.json");
  EXPECT_THAT(LoadModelFromFiles(files, "").status().message(), HasSubstr("model has no dram.json"));
  files.erase("metadata.json");
  EXPECT_THAT(LoadModelFromFiles(files, "").status().message(), HasSubstr("no metadata.json"));
}

TEST(XgboostModelTest, PredictsConcurrentlyAndHandlesEdgeCases) {
  auto model = Load(Unzip(std::string(kEc2) + "XgboostFitTrainer_0.zip"));
  ASSERT_NE(model, nullptr);
  const Golden golden = ReadGolden("testdata/golden/xgboost_ec2_0.json");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) ExpectMatchesGolden(*model, golden);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(*model->Predict(FeatureTable{{"bpf_cpu_time_ms", "bpf_page_cache_hit"}, {}}),
            ComponentPowers(4));
  EXPECT_THAT(model->Predict(FeatureTable{{"bpf_cpu_time_ms"}, {1}}).status().message(),
              HasSubstr("missing feature bpf_page_cache_hit"));
}

// A published archive's pickles are the model (as for the reference); its weight document, a
// copy with rounded scales, is used only when the pickles cannot be read.
TEST(WeightLoaderTest, PrefersPicklesAndFallsBackToTheWeightDocument) {
  const FeatureTable rows{{"bpf_cpu_time_ms", "bpf_page_cache_hit"}, {0, 0, 5000, 1, 90000, 2}};
  for (const char* name : {"SGDRegressorTrainer_0", "LogarithmicRegressionTrainer_0"}) {
    ModelFiles files = Unzip(std::string(kEc2) + name + ".zip");
    auto pickled = Load(files, "");
    ASSERT_NE(pickled, nullptr) << name;
    files["weight.json"] = Read(std::string(kEc2) + name + ".json");
    auto with_weights = Load(files, "");  // curve fit: group inferred from the features
    ASSERT_NE(with_weights, nullptr) << name;
    EXPECT_EQ(with_weights->family(), pickled->family());
    EXPECT_EQ(*with_weights->Predict(rows), *pickled->Predict(rows)) << name;

    files["package.pkl"] = "not a pickle";
    auto fallback = Load(files, "");
    ASSERT_NE(fallback, nullptr) << name;
    const v1::WeightDocument doc = *ParseWeightDocument(files["weight.json"]);
    auto direct = LoadWeightModel(doc, std::string(name).substr(0, std::string(name).find('_')),
                                  v1::BPFOnly);
    ASSERT_TRUE(direct.ok()) << direct.status();
    EXPECT_EQ(fallback->family(), (*direct)->family());
    EXPECT_EQ(*fallback->Predict(rows), *(*direct)->Predict(rows)) << name;
    // The two agree to the weight document's rounding.
    const auto a = *pickled->Predict(rows), b = *fallback->Predict(rows);
    for (size_t c = 0; c < a.size(); ++c) {
      for (size_t r = 0; r < a[c].size(); ++r) EXPECT_NEAR(a[c][r], b[c][r], 1e-6 * (1 + a[c][r]));
    }
  }
  ModelFiles logistic = Unzip(std::string(kSpec) + "LogisticRegressionTrainer_0.zip");
  logistic["weight.json"] = Read(std::string(kSpec) + "LogisticRegressionTrainer_0.json");
  auto model = Load(logistic);
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->family(), "CurveFit");
  EXPECT_NEAR((*model->Predict(FeatureTable{{"bpf_cpu_time_ms", "bpf_page_cache_hit"}, {1000, 0}}))[0][0],
              77.577, 0.0005);  // kepler-clients §1.6
}

TEST(WeightLoaderTest, PickledEstimatorsLoadAndUnknownClassesAreNamed) {
  for (const char* name : {"SGDRegressorTrainer_0.zip", "GradientBoostingRegressorTrainer_0.zip",
                           "LogarithmicRegressionTrainer_0.zip", "KNeighborsRegressorTrainer_0.zip",
                           "SVRRegressorTrainer_0.zip", "PolynomialRegressionTrainer_0.zip"}) {
    auto model = LoadModelFromFiles(Unzip(std::string(kEc2) + name), "BPFOnly");
    EXPECT_TRUE(model.ok()) << name << ": " << model.status();
  }
  // A DummyRegressor is whitelisted (as GradientBoosting's init) but is no component model.
  ModelFiles files = Unzip(std::string(kEc2) + "SGDRegressorTrainer_0.zip");
  files["package.pkl"] = std::string("\x80\x04\x8c\x0dsklearn.dummy\x8c\x0e" "DummyRegressor\x93)\x81}b.", 39);
  auto model = LoadModelFromFiles(files, "BPFOnly");
  EXPECT_EQ(model.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(std::string(model.status().message()),
              HasSubstr("package.pkl: unsupported model format: estimator class sklearn.dummy.DummyRegressor"));
  // Anything outside the whitelist is refused by name, and nothing runs.
  files["package.pkl"] = Read("testdata/pickle/evil_os_system.pkl");
  model = LoadModelFromFiles(files, "BPFOnly");
  EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(model.status().message(), HasSubstr("unsupported pickle global"));
}

class FixedModel final : public Model {
 public:
  FixedModel() : Model({"x"}, {"platform"}) {}
  absl::string_view family() const override { return "fixed"; }

 protected:
  absl::StatusOr<ComponentPowers> Evaluate(const double* x, size_t rows) const override {
    return ComponentPowers{std::vector<double>(x, x + rows)};
  }
};

TEST(ModelFactoryRegistryTest, RoutesNewModelClassesToTheirFactory) {
  const ModelFiles files = {{"metadata.json", R"({"model_name": "Mine_0", "model_class": "kepler-test"})"}};
  EXPECT_EQ(LoadModelFromFiles(files, "").status().code(), absl::StatusCode::kUnimplemented);
  ASSERT_TRUE(ModelFactoryRegistry::Global()
                  .Register("kepler-test",
                            [](const ModelSource& source) -> absl::StatusOr<std::shared_ptr<const Model>> {
                              EXPECT_EQ(source.trainer, "Mine");
                              return std::make_shared<const FixedModel>();
                            })
                  .ok());
  EXPECT_EQ(ModelFactoryRegistry::Global().Register("kepler-test", nullptr).code(),
            absl::StatusCode::kAlreadyExists);
  auto model = LoadModelFromFiles(files, "");
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_THAT((*(*model)->Predict(FeatureTable{{"x"}, {-3, 4}}))[0], ElementsAre(0.0, 4.0));
}

}  // namespace
}  // namespace kepler::model::core
