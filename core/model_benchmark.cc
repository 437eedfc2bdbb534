// Prediction cost of the linear-weight and xgboost models on 1, 100 and 1,000 rows, and the cost
// of loading the xgboost archive (what an estimator's first answer waits for).
//
//   bazel run -c opt //core:model_benchmark
//
// Models are the published ec2 BPFOnly SGDRegressorTrainer_0 weights and XgboostFitTrainer_0
// archive (testdata/); inputs are random rates in the range the models were trained on.
#include <cstdlib>
#include <memory>
#include <random>
#include <string>

#include "benchmark/benchmark.h"
#include "core/archive.h"
#include "core/file_util.h"
#include "core/model_loader.h"
#include "core/weight_document.h"

namespace kepler::model::core {
namespace {

constexpr char kDir[] = "testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/";

[[noreturn]] void Die(const absl::Status& status) {
  fprintf(stderr, "model_benchmark: %s\n", status.ToString().c_str());
  std::exit(1);
}

std::shared_ptr<const Model> LinearModel() {
  auto text = ReadFile(std::string(kDir) + "SGDRegressorTrainer_0.json");
  if (!text.ok()) Die(text.status());
  auto doc = ParseWeightDocument(*text);
  if (!doc.ok()) Die(doc.status());
  auto model = LoadWeightModel(*doc, "SGDRegressorTrainer", v1::BPFOnly);
  if (!model.ok()) Die(model.status());
  return *model;
}

ModelFiles XgboostFiles() {
  auto entries = ReadZipFile(std::string(kDir) + "XgboostFitTrainer_0.zip", ArchiveLimits());
  if (!entries.ok()) Die(entries.status());
  ModelFiles files;
  for (ArchiveEntry& e : *entries) files[e.name] = std::move(e.data);
  return files;
}

std::shared_ptr<const Model> XgboostModel() {
  auto model = LoadModelFromFiles(XgboostFiles(), "BPFOnly");
  if (!model.ok()) Die(model.status());
  return *model;
}

FeatureTable RandomRows(int rows) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<double> cpu(0, 120000), cache(0, 4);
  FeatureTable table{{"bpf_cpu_time_ms", "bpf_page_cache_hit"}, {}};
  for (int r = 0; r < rows; ++r) table.values.insert(table.values.end(), {cpu(rng), cache(rng)});
  return table;
}

void Run(benchmark::State& state, const Model& model) {
  const FeatureTable table = RandomRows(state.range(0));
  for (auto _ : state) {
    auto powers = model.Predict(table);
    if (!powers.ok()) Die(powers.status());
    benchmark::DoNotOptimize(powers);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_LinearPredict(benchmark::State& state) {
  static const auto* model = new std::shared_ptr<const Model>(LinearModel());
  Run(state, **model);
}
BENCHMARK(BM_LinearPredict)->Arg(1)->Arg(100)->Arg(1000);

void BM_XgboostPredict(benchmark::State& state) {
  static const auto* model = new std::shared_ptr<const Model>(XgboostModel());
  Run(state, **model);
}
BENCHMARK(BM_XgboostPredict)->Arg(1)->Arg(100)->Arg(1000);

// Unzipped files to a model: four components of 100 trees (570 KB of JSON), scaler.pkl.
void BM_XgboostLoad(benchmark::State& state) {
  const ModelFiles files = XgboostFiles();
  for (auto _ : state) {
    auto model = LoadModelFromFiles(files, "BPFOnly");
    if (!model.ok()) Die(model.status());
    benchmark::DoNotOptimize(model);
  }
}
BENCHMARK(BM_XgboostLoad)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kepler::model::core
