// Parsing and extraction speed and memory on a generated capture: one hour at a 3 s step, 100
// containers, 2 packages (tools/capture_generator.h, stepped workload, seed 1).
//
//   bazel run -c opt //trainer:capture_benchmark
//
// Reported: bytes of JSON per second (MB/s = 1e6 bytes) and, from a counting operator new, the
// peak heap in use during the measured work on top of the capture text itself, as a multiple of
// the capture size (`peak_x_capture` = (capture + peak extra heap) / capture).
#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "benchmark/benchmark.h"
#include "core/feature_group.h"
#include "tools/capture_generator.h"
#include "trainer/capture.h"
#include "trainer/extractor.h"

namespace {

std::atomic<long long> live_bytes{0};
std::atomic<long long> peak_bytes{0};

void Track(void* p) {
  long long now = live_bytes.fetch_add(malloc_usable_size(p)) + malloc_usable_size(p);
  long long peak = peak_bytes.load();
  while (now > peak && !peak_bytes.compare_exchange_weak(peak, now)) {
  }
}

void* Allocate(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  Track(p);
  return p;
}

void Release(void* p) {
  if (p == nullptr) return;
  live_bytes.fetch_sub(malloc_usable_size(p));
  std::free(p);
}

}  // namespace

void* operator new(std::size_t size) { return Allocate(size); }
void* operator new[](std::size_t size) { return Allocate(size); }
void operator delete(void* p) noexcept { Release(p); }
void operator delete[](void* p) noexcept { Release(p); }
void operator delete(void* p, std::size_t) noexcept { Release(p); }
void operator delete[](void* p, std::size_t) noexcept { Release(p); }

namespace kepler::model::trainer {
namespace {

const std::string& HourCapture() {
  static const std::string* json = [] {
    tools::GeneratorOptions options;
    options.duration_seconds = 3600;
    options.step_seconds = 3;
    options.containers = 100;
    options.packages = 2;
    options.workload = tools::WorkloadProfile::kStepped;
    auto generated = tools::GenerateCapture(options);
    if (!generated.ok()) std::abort();
    return new std::string(std::move(generated->json));
  }();
  return *json;
}

// Node level (AbsPower) and container level (DynPower) of `group`, as the pipeline extracts.
void ExtractBoth(const Capture& capture, v1::FeatureGroup group) {
  for (bool node_level : {true, false}) {
    ExtractOptions options;
    options.feature_group = group;
    options.node_level = node_level;
    auto table = MakeDefaultExtractor()->Extract(capture, options);
    if (!table.ok()) std::abort();
    benchmark::DoNotOptimize(table->num_rows());
  }
}

void Report(benchmark::State& state, size_t bytes, long long baseline) {
  state.SetBytesProcessed(static_cast<int64_t>(bytes) * state.iterations());
  state.counters["MB/s"] = benchmark::Counter(static_cast<double>(bytes) * state.iterations() / 1e6,
                                              benchmark::Counter::kIsRate);
  state.counters["capture_MB"] = bytes / 1e6;
  state.counters["peak_x_capture"] =
      static_cast<double>(bytes + (peak_bytes.load() - baseline)) / bytes;
}

void BM_Parse(benchmark::State& state) {
  const std::string& json = HourCapture();
  long long baseline = live_bytes.load();
  peak_bytes = baseline;
  for (auto _ : state) {
    auto capture = Capture::Parse(json);
    if (!capture.ok()) std::abort();
    benchmark::DoNotOptimize(capture->num_samples());
  }
  Report(state, json.size(), baseline);
}
BENCHMARK(BM_Parse)->Unit(benchmark::kMillisecond);

void BM_ParseAndExtractBpfOnly(benchmark::State& state) {
  const std::string& json = HourCapture();
  long long baseline = live_bytes.load();
  peak_bytes = baseline;
  for (auto _ : state) {
    auto capture = Capture::Parse(json);
    if (!capture.ok()) std::abort();
    ExtractBoth(*capture, v1::BPFOnly);
  }
  Report(state, json.size(), baseline);
}
BENCHMARK(BM_ParseAndExtractBpfOnly)->Unit(benchmark::kMillisecond);

// What a training run does: parse once, then both levels of every valid group.
void BM_ParseAndExtractAllValidGroups(benchmark::State& state) {
  const std::string& json = HourCapture();
  long long baseline = live_bytes.load();
  peak_bytes = baseline;
  for (auto _ : state) {
    auto capture = Capture::Parse(json);
    if (!capture.ok()) std::abort();
    for (v1::FeatureGroup group :
         ValidFeatureGroups(*capture, core::FeatureGroups::Default())) {
      ExtractBoth(*capture, group);
    }
  }
  Report(state, json.size(), baseline);
}
BENCHMARK(BM_ParseAndExtractAllValidGroups)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kepler::model::trainer
