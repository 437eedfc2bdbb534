// Cost of evaluating and loading pickled scikit-learn models (issue targets in brackets):
//   - one 100-tree depth-3 GradientBoosting component (the published ec2 archive's package.pkl)
//     on 1 row [< 2 us] and 1,000 rows [< 200 us], and the whole 4-component model;
//   - KNeighbors k=6 over a 2,000-row fit set, 1,000 query rows [< 5 ms];
//   - loading the published GradientBoosting archive from its zip bytes [< 20 ms].
//
//   bazel run -c opt //core/sklearn:sklearn_benchmark
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>

#include "benchmark/benchmark.h"
#include "core/archive.h"
#include "core/file_util.h"
#include "core/model_loader.h"
#include "core/gradient_boosting_model.h"
#include "core/sklearn/knn_estimator.h"
#include "core/sklearn/sklearn_model.h"

namespace kepler::model::core::sklearn {
namespace {

constexpr char kGbArchive[] =
    "testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/GradientBoostingRegressorTrainer_0.zip";

[[noreturn]] void Die(const absl::Status& status) {
  fprintf(stderr, "sklearn_benchmark: %s\n", status.ToString().c_str());
  std::exit(1);
}

ModelFiles GbFiles() {
  auto entries = ReadZipFile(kGbArchive, ArchiveLimits());
  if (!entries.ok()) Die(entries.status());
  ModelFiles files;
  for (ArchiveEntry& e : *entries) files[e.name] = std::move(e.data);
  return files;
}

std::vector<double> ScaledRows(int rows, int width, int seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1.2);
  std::vector<double> x(rows * width);
  for (double& v : x) v = unit(rng);
  return x;
}

void BM_GradientBoostingComponent(benchmark::State& state) {
  auto regressor = ReadSklearnRegressor(GbFiles()["package.pkl"], 2);
  if (!regressor.ok()) Die(regressor.status());
  const int rows = state.range(0);
  const std::vector<double> x = ScaledRows(rows, 2, 1);
  std::vector<double> out(rows);
  for (auto _ : state) {
    (*regressor)->Predict(x.data(), rows, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * rows);
}
BENCHMARK(BM_GradientBoostingComponent)->Arg(1)->Arg(100)->Arg(1000);

// 100 complete depth-3 trees over 10 features with distinct thresholds: too many grid cells for
// a table, so every row walks every tree.
void BM_GradientBoostingWalk(benchmark::State& state) {
  std::mt19937 rng(6);
  std::uniform_int_distribution<int> feature(0, 9);
  std::uniform_real_distribution<double> threshold(0, 1.2), value(-10, 10);
  GradientBoostingParams params;
  params.n_features = 10;
  params.float32_inputs = true;
  for (int t = 0; t < 100; ++t) {
    RegressionTree tree;
    for (int i = 0; i < 15; ++i) {  // heap order: children of i are 2i+1, 2i+2
      const bool leaf = i >= 7;
      tree.children_left.push_back(leaf ? -1 : 2 * i + 1);
      tree.children_right.push_back(leaf ? -1 : 2 * i + 2);
      tree.feature.push_back(leaf ? RegressionTree::kLeafFeature : feature(rng));
      tree.threshold.push_back(leaf ? -2 : threshold(rng));
      tree.value.push_back(value(rng));
    }
    params.trees.push_back(std::move(tree));
  }
  auto regressor = MakeGradientBoostingRegressor(params);
  if (!regressor.ok()) Die(regressor.status());
  const int rows = state.range(0);
  const std::vector<double> x = ScaledRows(rows, 10, 7);
  std::vector<double> out(rows);
  for (auto _ : state) {
    (*regressor)->Predict(x.data(), rows, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * rows);
}
BENCHMARK(BM_GradientBoostingWalk)->Arg(1)->Arg(1000);

void BM_GradientBoostingModel(benchmark::State& state) {
  auto model = LoadModelFromFiles(GbFiles(), "BPFOnly");
  if (!model.ok()) Die(model.status());
  const int rows = state.range(0);
  std::mt19937 rng(2);
  std::uniform_real_distribution<double> cpu(0, 120000), cache(0, 4);
  FeatureTable table{{"bpf_cpu_time_ms", "bpf_page_cache_hit"}, {}};
  for (int r = 0; r < rows; ++r) table.values.insert(table.values.end(), {cpu(rng), cache(rng)});
  for (auto _ : state) benchmark::DoNotOptimize((*model)->Predict(table));
  state.SetItemsProcessed(state.iterations() * rows);
}
BENCHMARK(BM_GradientBoostingModel)->Arg(1)->Arg(1000);

void BM_KNeighbors2000(benchmark::State& state) {
  const int width = state.range(0);
  KNeighborsState knn{6, false, width, ScaledRows(2000, width, 3), {}};
  std::mt19937 rng(4);
  std::uniform_real_distribution<double> watts(50, 500);
  for (int i = 0; i < 2000; ++i) knn.y.push_back(watts(rng));
  auto regressor = MakeExactKNeighborsRegressor(std::move(knn));
  if (!regressor.ok()) Die(regressor.status());
  const std::vector<double> x = ScaledRows(1000, width, 5);
  std::vector<double> out(1000);
  for (auto _ : state) {
    (*regressor)->Predict(x.data(), 1000, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_KNeighbors2000)->Arg(2)->Arg(8)->Unit(benchmark::kMicrosecond);

// The published KNN archive: four components over one fit set, one search per row for all.
void BM_PublishedKNeighborsModel(benchmark::State& state) {
  auto entries = ReadZipFile(
      "testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/KNeighborsRegressorTrainer_1.zip",
      ArchiveLimits());
  if (!entries.ok()) Die(entries.status());
  ModelFiles files;
  for (ArchiveEntry& e : *entries) files[e.name] = std::move(e.data);
  auto model = LoadModelFromFiles(files, "BPFOnly");
  if (!model.ok()) Die(model.status());
  std::mt19937 rng(8);
  std::uniform_real_distribution<double> cpu(0, 120000), cache(0, 4);
  FeatureTable table{{"bpf_cpu_time_ms", "bpf_page_cache_hit"}, {}};
  for (int r = 0; r < 1000; ++r) table.values.insert(table.values.end(), {cpu(rng), cache(rng)});
  for (auto _ : state) benchmark::DoNotOptimize((*model)->Predict(table));
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_PublishedKNeighborsModel)->Unit(benchmark::kMicrosecond);

void BM_LoadPublishedGradientBoosting(benchmark::State& state) {
  auto zip = ReadFile(kGbArchive);
  if (!zip.ok()) Die(zip.status());
  for (auto _ : state) {
    auto entries = ReadZip(*zip, ArchiveLimits());
    if (!entries.ok()) Die(entries.status());
    ModelFiles files;
    for (ArchiveEntry& e : *entries) files[e.name] = std::move(e.data);
    auto model = LoadModelFromFiles(files, "");
    if (!model.ok()) Die(model.status());
    benchmark::DoNotOptimize(model);
  }
}
BENCHMARK(BM_LoadPublishedGradientBoosting)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kepler::model::core::sklearn
