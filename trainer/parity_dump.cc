// Development tool: writes generated power data and this project's test MAE per linear and
// curve-fit family, for tools/parity/linear_parity.py to compare with scikit-learn and SciPy.
//
// Usage: bazel run //trainer:parity_dump -- --out_dir=/tmp/parity
// Writes <out_dir>/<dataset>.csv (raw features, labels, train/test flag from SplitRows seed 0)
// and <out_dir>/cpp_mae.csv (dataset,trainer,component,mae). SGD is fitted with seeds 0..4 and
// its mean MAE reported, as scikit-learn's unseeded SGD is compared over the same seeds.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "core/feature_group.h"
#include "core/trainer_name.h"
#include "trainer/scaler.h"
#include "trainer/split.h"
#include "trainer/trainer.h"

ABSL_FLAG(std::string, out_dir, "/tmp/parity", "folder for the CSV files");
ABSL_FLAG(int, rows, 3000, "rows per data set");

namespace kepler::model::trainer {
namespace {

// CounterOnly: cache_miss (dram feature), cpu_cycles, cpu_instructions (main feature).
const std::vector<std::string> kFeatures = {"cache_miss", "cpu_cycles", "cpu_instructions"};
const std::vector<std::string> kComponents = {"package", "dram"};

struct Dataset {
  std::string name;
  Eigen::MatrixXd raw;  // rows x 3
  Eigen::MatrixXd y;    // rows x 2 (package, dram)
};

using Labels = std::function<Eigen::Vector2d(double dram_x, double cycles, double main_x)>;

Dataset Generate(const std::string& name, int rows, uint64_t seed, Eigen::Vector2d noise,
                 const Labels& labels) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> n(0, 1);
  Dataset d{name, Eigen::MatrixXd(rows, 3), Eigen::MatrixXd(rows, 2)};
  for (int r = 0; r < rows; ++r) {
    const double load = u(rng), mem = u(rng);
    const double cycles = std::min(1.0, 0.8 * load + 0.2 * u(rng));
    d.raw.row(r) << mem * 2.5e6, cycles * 3.1e9, load * 4.2e9;
    const Eigen::Vector2d clean = labels(mem, cycles, load);
    d.y(r, 0) = clean[0] + noise[0] * n(rng);
    d.y(r, 1) = clean[1] + noise[1] * n(rng);
  }
  return d;
}

std::vector<Dataset> Datasets(int rows) {
  return {
      Generate("linear", rows, 1, {3, 0.5},
               [](double m, double c, double l) {
                 return Eigen::Vector2d(40 + 60 * l + 15 * c, 4 + 8 * m + 1 * l);
               }),
      Generate("saturating", rows, 2, {2, 0.5},
               [](double m, double c, double l) {
                 return Eigen::Vector2d(35 + 90 * (1 - std::exp(-2.5 * l)) + 12 * c + 8 * l * m,
                                        3 + 6 * std::log(5 * m + 1));
               }),
      Generate("sigmoid", rows, 3, {2, 0.3},
               [](double m, double c, double l) {
                 return Eigen::Vector2d(20 + 70 / (1 + std::exp(-8 * (l - 0.45))),
                                        5 + 2 * std::exp(1.2 * m));
               }),
  };
}

void WriteCsv(const std::string& path, const Dataset& d, const RowSplit& split) {
  std::vector<char> is_test(d.raw.rows(), 0);
  for (int i : split.test) is_test[i] = 1;
  std::ofstream out(path);
  out.precision(17);
  out << "cache_miss,cpu_cycles,cpu_instructions,package_power,dram_power,split\n";
  for (Eigen::Index r = 0; r < d.raw.rows(); ++r) {
    out << d.raw(r, 0) << ',' << d.raw(r, 1) << ',' << d.raw(r, 2) << ',' << d.y(r, 0) << ','
        << d.y(r, 1) << ',' << (is_test[r] ? "test" : "train") << '\n';
  }
}

// Test MAE of one family on one component; NaN when the fit fails (printed as the reason).
double TestMae(v1::TrainerName name, uint64_t seed, int component, const Eigen::MatrixXd& x,
               const Eigen::VectorXd& y, const RowSplit& split) {
  const int main = core::FeatureGroups::Default().MainFeatureIndex(v1::CounterOnly,
                                                                   kComponents[component]);
  auto trainer = MakeTrainer(name, TrainerContext{seed, main});
  if (!trainer.ok()) return NAN;
  const absl::Status fit = (*trainer)->Fit(TakeRows(x, split.train), TakeRows(y, split.train));
  if (!fit.ok()) {
    std::fprintf(stderr, "%s: %s\n", core::TrainerNameString(name).c_str(),
                 fit.ToString().c_str());
    return NAN;
  }
  const Eigen::VectorXd y_test = TakeRows(y, split.test);
  return ((*trainer)->Predict(TakeRows(x, split.test)) - y_test).cwiseAbs().mean();
}

int Run() {
  const std::string dir = absl::GetFlag(FLAGS_out_dir);
  std::ofstream results(dir + "/cpp_mae.csv");
  results.precision(10);
  results << "dataset,trainer,component,mae\n";
  for (const Dataset& d : Datasets(absl::GetFlag(FLAGS_rows))) {
    auto split = SplitRows(static_cast<int>(d.raw.rows()), {});
    auto scaler = MaxAbsScaler::Fit(d.raw, kFeatures);
    if (!split.ok() || !scaler.ok()) return 1;
    WriteCsv(absl::StrCat(dir, "/", d.name, ".csv"), d, *split);
    const Eigen::MatrixXd x = scaler->Transform(d.raw);
    for (v1::TrainerName name : RegisteredTrainers()) {
      const int seeds = name == v1::SGDRegressorTrainer ? 5 : 1;
      for (int c = 0; c < 2; ++c) {
        double sum = 0;
        for (int s = 0; s < seeds; ++s) sum += TestMae(name, s, c, x, d.y.col(c), *split);
        results << d.name << ',' << core::TrainerNameString(name) << ',' << kComponents[c] << ','
                << sum / seeds << '\n';
      }
    }
  }
  std::printf("wrote %s/cpp_mae.csv\n", dir.c_str());
  return 0;
}

}  // namespace
}  // namespace kepler::model::trainer

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return kepler::model::trainer::Run();
}
