// Fit (and predict) time of every trainer family on 2,400 rows x 5 features, the size of one node
// type's data in a 2-hour capture at a 3 s step. Run:
//   bazel run -c opt //trainer:trainer_benchmark
// Data: testing/regression_data.h's power-like targets with 2 W noise, features in [0, 1] as after
// MaxAbs scaling. All ten families are linked and measured.
#include <string>

#include "benchmark/benchmark.h"
#include "core/trainer_name.h"
#include "trainer/testing/regression_data.h"
#include "trainer/trainer.h"

namespace kepler::model::trainer {
namespace {

const testing::RegressionData& Data() {
  static const auto* data = new testing::RegressionData(
      testing::MakeRegressionData(testing::Shape::kPower, 2400, 5, /*seed=*/11, /*noise=*/2.0));
  return *data;
}

void BM_Fit(benchmark::State& state, v1::TrainerName name) {
  const testing::RegressionData& data = Data();
  for (auto _ : state) {
    auto trainer = MakeTrainer(name, {});
    if (!trainer.ok() || !(*trainer)->Fit(data.x, data.y).ok()) {
      state.SkipWithError("fit failed");
      break;
    }
    benchmark::DoNotOptimize(trainer);
  }
  state.SetItemsProcessed(state.iterations() * data.x.rows());
}

void BM_Predict(benchmark::State& state, v1::TrainerName name) {
  const testing::RegressionData& data = Data();
  auto trainer = MakeTrainer(name, {});
  if (!trainer.ok() || !(*trainer)->Fit(data.x, data.y).ok()) {
    state.SkipWithError("fit failed");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize((*trainer)->Predict(data.x));
  state.SetItemsProcessed(state.iterations() * data.x.rows());
}

// Every trainer name; the families themselves are looked up when a benchmark runs, after all
// static registration (whose order across files is unspecified).
const bool kRegistered = [] {
  for (v1::TrainerName name : core::AllTrainers()) {
    const std::string family = core::TrainerNameString(name);
    benchmark::RegisterBenchmark(("BM_Fit/" + family).c_str(), BM_Fit, name)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("BM_Predict/" + family).c_str(), BM_Predict, name)
        ->Unit(benchmark::kMicrosecond);
  }
  return true;
}();

}  // namespace
}  // namespace kepler::model::trainer
