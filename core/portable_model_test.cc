#include "core/portable_model.h"

#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

// A two-component model: package linear, dram a logarithmic curve of the second feature.
ModelFiles TwoComponentModel() {
  ModelFiles files;
  files["metadata.json"] = R"({"model_name": "SGDRegressorTrainer_0", "trainer":
      "SGDRegressorTrainer", "model_class": "kepler-json", "model_file":
      "SGDRegressorTrainer_0.json", "features": ["bpf_cpu_time_ms", "bpf_page_cache_hit"],
      "fe_files": []})";
  files["SGDRegressorTrainer_0.json"] = R"({
      "package": {"model_file": "package.json", "features": ["bpf_cpu_time_ms",
                  "bpf_page_cache_hit"], "fe_files": ["scaler.json"]},
      "dram": {"model_file": "dram.json", "features": ["bpf_cpu_time_ms", "bpf_page_cache_hit"],
               "fe_files": ["scaler.json"]}})";
  files["scaler.json"] = R"({"type": "MaxAbsScaler", "features": ["bpf_cpu_time_ms",
      "bpf_page_cache_hit"], "scale": [660.9333333333334, 3.066666666666667]})";
  files["package.json"] = R"({"model": "SGDRegressor", "n_features": 2, "coef":
      [43.713330062117166, 53.14116744452537], "intercept": 76.90168899374785})";
  files["dram.json"] = R"({"model": "CurveFit", "n_features": 2, "curve": "logarithmic",
      "feature_index": 1, "params": [2.0, 1.0, -10.0]})";
  return files;
}

TEST(PortableModelTest, LoadsThroughTheModelLoaderAndEvaluates) {
  auto model = LoadModelFromFiles(TwoComponentModel(), "BPFOnly");
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ((*model)->components(), (std::vector<std::string>{"package", "dram"}));
  auto powers = (*model)->Predict({{"bpf_page_cache_hit", "bpf_cpu_time_ms"}, {1, 100}});
  ASSERT_TRUE(powers.ok()) << powers.status();
  // The contract's worked example (§2.6): x = (100, 1) -> 100.84 W.
  EXPECT_NEAR((*powers)[0][0], 100.84, 0.005);
  // 2·ln(1/3.0667 + 1) − 10 is negative: clamped to 0.
  EXPECT_EQ((*powers)[1][0], 0.0);
}

TEST(PortableModelTest, ScalerRoundTripAndValidation) {
  auto text = WritePortableScaler({{"a", "b"}, {2.5, 1e-300}});
  ASSERT_TRUE(text.ok()) << text.status();
  auto back = ParsePortableScaler(*text);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->scale, (std::vector<double>{2.5, 1e-300}));
  EXPECT_FALSE(WritePortableScaler({{"a"}, {0.0}}).ok());
  EXPECT_FALSE(WritePortableScaler({{"a"}, {1, 2}}).ok());
  EXPECT_FALSE(ParsePortableScaler(R"({"features": ["a"], "scale": [-1]})").ok());
}

TEST(PortableModelTest, MissingOrMalformedFilesAreNamed) {
  ModelFiles files = TwoComponentModel();
  files.erase("dram.json");
  auto missing = LoadModelFromFiles(files, "");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("dram.json"), std::string::npos)
      << missing.status();

  files = TwoComponentModel();
  files["scaler.json"] = R"({"features": ["bpf_cpu_time_ms"], "scale": [1]})";
  auto unscaled = LoadModelFromFiles(files, "");
  ASSERT_FALSE(unscaled.ok());
  EXPECT_NE(unscaled.status().message().find("bpf_page_cache_hit"), std::string::npos);
}

TEST(PortableModelTest, UnknownFamilyOrFeatureFileIsUnsupported) {
  ModelFiles files = TwoComponentModel();
  files["package.json"] = R"({"model": "RandomForestRegressor"})";
  EXPECT_EQ(LoadModelFromFiles(files, "").status().code(), absl::StatusCode::kUnimplemented);
  files = TwoComponentModel();
  files["SGDRegressorTrainer_0.json"] =
      R"({"package": {"model_file": "package.json", "fe_files": ["poly_scaler.pkl"]}})";
  EXPECT_EQ(LoadModelFromFiles(files, "").status().code(), absl::StatusCode::kUnimplemented);
}

TEST(PortableModelTest, RegistrationIsIdempotent) {
  EXPECT_TRUE(RegisterPortableModelClass().ok());
  EXPECT_TRUE(RegisterPortableModelClass().ok());
  EXPECT_NE(ModelFactoryRegistry::Global().Find(kPortableModelClass), nullptr);
}

}  // namespace
}  // namespace kepler::model::core
