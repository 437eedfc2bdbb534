// tree_parity: writes the data sets of tools/parity/tree_parity.py and this project's results on
// them (testonly; a development tool, never part of the product).
//
// For each generated shape (testing/regression_data.h), rows x features with Gaussian noise, the
// first 90% of the rows are the training split and the rest the test split (the rows are already
// in random order), written as <out_dir>/<shape>_train.csv and <shape>_test.csv (columns
// x0..x<n-1>,y; %.17g). Each family is fitted on the training split with the reference's
// hyper-parameters; <out_dir>/cpp_results.csv gets one line per (shape, trainer): test MAE and the
// fit's wall time. Build with -c opt for meaningful times.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "Eigen/Core"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "core/trainer_name.h"
#include "trainer/svr_trainer.h"
#include "trainer/testing/regression_data.h"
#include "trainer/trainer.h"

ABSL_FLAG(std::string, out_dir, "", "Folder for the CSV files (must exist).");
ABSL_FLAG(int, rows, 2400, "Rows per data set (train + test).");
ABSL_FLAG(int, features, 5, "Feature columns.");
ABSL_FLAG(double, noise, 2.0, "Gaussian noise, watts.");
ABSL_FLAG(uint64_t, seed, 7, "Seed of the generated data.");

namespace kepler::model::trainer {
namespace {

using testing::RegressionData;
using testing::Shape;

bool WriteCsv(const std::string& path, const RegressionData& data) {
  std::ofstream out(path);
  for (Eigen::Index c = 0; c < data.x.cols(); ++c) out << "x" << c << ",";
  out << "y\n";
  for (Eigen::Index r = 0; r < data.x.rows(); ++r) {
    for (Eigen::Index c = 0; c < data.x.cols(); ++c) out << absl::StrFormat("%.17g,", data.x(r, c));
    out << absl::StrFormat("%.17g\n", data.y(r));
  }
  return static_cast<bool>(out);
}

// Fits `name` on `train`, returns "mae,seconds" on `test`, or the error.
std::string FitAndScore(v1::TrainerName name, const RegressionData& train,
                        const RegressionData& test) {
  absl::StatusOr<std::unique_ptr<Trainer>> trainer = MakeTrainer(name, {});
  if (name == v1::SVRRegressorTrainer) {  // the solver on every row, as scikit-learn's
    SvrOptions every_row;
    every_row.max_rows = 0;
    trainer = std::unique_ptr<Trainer>(std::make_unique<SVRRegressorTrainer>(every_row));
  }
  if (!trainer.ok()) return std::string(trainer.status().message());
  const auto start = std::chrono::steady_clock::now();
  const absl::Status fit = (*trainer)->Fit(train.x, train.y);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!fit.ok()) return std::string(fit.message());
  const double mae = testing::MeanAbsoluteError(test.y, (*trainer)->Predict(test.x));
  return absl::StrFormat("%.6f,%.6f", mae, seconds);
}

int Run() {
  const std::string dir = absl::GetFlag(FLAGS_out_dir);
  if (dir.empty()) {
    std::cerr << "tree_parity: --out_dir is required\n";
    return 2;
  }
  std::ofstream results(dir + "/cpp_results.csv");
  results << "shape,trainer,mae,fit_seconds\n";
  const int rows = absl::GetFlag(FLAGS_rows), train_rows = rows * 9 / 10;
  for (Shape shape : {Shape::kStep, Shape::kSmooth, Shape::kPower}) {
    const RegressionData data =
        testing::MakeRegressionData(shape, rows, absl::GetFlag(FLAGS_features),
                                    absl::GetFlag(FLAGS_seed), absl::GetFlag(FLAGS_noise));
    const RegressionData train = testing::Head(data, train_rows);
    const RegressionData test = testing::Tail(data, train_rows);
    const std::string name = testing::ShapeName(shape);
    if (!WriteCsv(dir + "/" + name + "_train.csv", train) ||
        !WriteCsv(dir + "/" + name + "_test.csv", test)) {
      std::cerr << "tree_parity: cannot write to " << dir << "\n";
      return 1;
    }
    for (v1::TrainerName trainer :
         {v1::GradientBoostingRegressorTrainer, v1::KNeighborsRegressorTrainer,
          v1::SVRRegressorTrainer, v1::XgboostFitTrainer}) {
      results << name << "," << core::TrainerNameString(trainer) << ","
              << FitAndScore(trainer, train, test) << "\n";
    }
  }
  return results ? 0 : 1;
}

}  // namespace
}  // namespace kepler::model::trainer

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return kepler::model::trainer::Run();
}
