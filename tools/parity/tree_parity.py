#!/usr/bin/python3
"""Compares the C++ tree, neighbour, SVR and xgboost trainers with the reference libraries.

Development tool only: the product and its tests never run Python. Needs Debian's python3-sklearn,
python3-xgboost and python3-numpy (run with /usr/bin/python3).

The testonly binary //trainer:tree_parity generates the data sets (trainer/testing/
regression_data.h: step, smooth and power-like targets over uniform features, Gaussian noise),
writes each split as CSV and fits every C++ family on it. This script then fits the reference's
estimators with the reference's hyper-parameters (contract §7.3) on the same CSV rows and prints a
Markdown table of test MAE: C++, reference, and their ratio (<= 1.05 is the target).

  GradientBoostingRegressorTrainer  GradientBoostingRegressor(n_estimators=100, max_depth=3,
                                    learning_rate=0.1)
  KNeighborsRegressorTrainer        KNeighborsRegressor(n_neighbors=6)
  SVRRegressorTrainer               SVR(C=1.0, epsilon=0.2)
  XgboostFitTrainer                 XGBRegressor(n_estimators=100, learning_rate=0.1)

Usage (from the repository root):
  /usr/bin/python3 tools/parity/tree_parity.py            # builds and runs the binary (-c opt)
  /usr/bin/python3 tools/parity/tree_parity.py --data_dir D --no_build   # reuse D's CSV files
  /usr/bin/python3 tools/parity/tree_parity.py --golden   # the numbers in
                                                          # trainer/testing/sklearn_golden.h
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import xgboost as xgb
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.neighbors import KNeighborsRegressor
from sklearn.svm import SVR

SHAPES = ("step", "smooth", "power")
TRAINERS = ("GradientBoostingRegressorTrainer", "KNeighborsRegressorTrainer",
            "SVRRegressorTrainer", "XgboostFitTrainer")


def reference_estimator(trainer, seed):
    if trainer == "GradientBoostingRegressorTrainer":
        return GradientBoostingRegressor(n_estimators=100, max_depth=3, learning_rate=0.1,
                                         random_state=seed)
    if trainer == "KNeighborsRegressorTrainer":
        return KNeighborsRegressor(n_neighbors=6)
    if trainer == "SVRRegressorTrainer":
        return SVR(C=1.0, epsilon=0.2)
    return xgb.XGBRegressor(n_estimators=100, learning_rate=0.1)


def load_csv(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1]


def run_binary(data_dir, args):
    command = ["bazel", "run", "-c", "opt", "//trainer:tree_parity", "--",
               f"--out_dir={os.path.abspath(data_dir)}", f"--rows={args.rows}",
               f"--features={args.features}", f"--noise={args.noise}", f"--seed={args.seed}"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def cpp_results(data_dir):
    with open(os.path.join(data_dir, "cpp_results.csv")) as f:
        return {(row["shape"], row["trainer"]): row for row in csv.DictReader(f)}


def reference_mae(trainer, x_train, y_train, x_test, y_test, seeds):
    """Mean test MAE over `seeds` (only gradient boosting is random: it breaks ties at random)."""
    maes, seconds = [], []
    for seed in seeds if trainer == "GradientBoostingRegressorTrainer" else seeds[:1]:
        model = reference_estimator(trainer, seed)
        start = time.perf_counter()
        model.fit(x_train, y_train)
        seconds.append(time.perf_counter() - start)
        maes.append(float(np.mean(np.abs(y_test - model.predict(x_test)))))
    return float(np.mean(maes)), float(np.mean(seconds))


def compare(data_dir, seeds):
    cpp = cpp_results(data_dir)
    print("| data | trainer | C++ MAE | reference MAE | ratio | C++ fit (s) | reference fit (s) |")
    print("|---|---|---|---|---|---|---|")
    worst = 0.0
    for shape in SHAPES:
        x_train, y_train = load_csv(os.path.join(data_dir, f"{shape}_train.csv"))
        x_test, y_test = load_csv(os.path.join(data_dir, f"{shape}_test.csv"))
        for trainer in TRAINERS:
            mine = cpp[(shape, trainer)]
            ref_mae, ref_seconds = reference_mae(trainer, x_train, y_train, x_test, y_test, seeds)
            ratio = float(mine["mae"]) / ref_mae
            worst = max(worst, ratio)
            print(f"| {shape} | {trainer} | {float(mine['mae']):.4f} | {ref_mae:.4f} | "
                  f"{ratio:.3f} | {float(mine['fit_seconds']):.4f} | {ref_seconds:.4f} |")
    print(f"\nworst ratio {worst:.3f} (target <= 1.05)")
    return 0 if worst <= 1.05 else 1


def golden():
    """Reprints the constants of trainer/testing/sklearn_golden.h."""
    grid = [(5, 1), (11, 3), (23, 7)]
    x = np.array([[((i * a + b) % 64) / 64.0 for a, b in grid] for i in range(40)])
    y = 20 + 30 * x[:, 0] + 10 * np.sin(4 * x[:, 1]) + 15 * (x[:, 2] > 0.5)
    q = np.array([[((i * 13 + 5) % 64) / 64.0, ((i * 29 + 1) % 64) / 64.0,
                   ((i * 3 + 2) % 64) / 64.0] for i in range(8)])
    gbr = reference_estimator("GradientBoostingRegressorTrainer", 0).fit(x, y)
    svr = reference_estimator("SVRRegressorTrainer", 0).fit(x, y)
    xgbr = reference_estimator("XgboostFitTrainer", 0).fit(x, y)
    print("GradientBoosting on the training rows:", ", ".join(repr(float(v)) for v in gbr.predict(x)))
    print("SVR gamma", svr._gamma, "intercept", svr.intercept_, "support vectors", len(svr.support_))
    print("SVR on the query rows:", ", ".join(repr(float(v)) for v in svr.predict(q)))
    print("XGBRegressor on the query rows:", ", ".join(repr(float(v)) for v in xgbr.predict(q)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data_dir", help="folder for (or with) the CSV files; default a temp dir")
    parser.add_argument("--no_build", action="store_true", help="reuse the CSVs in --data_dir")
    parser.add_argument("--golden", action="store_true", help="print the golden test constants")
    parser.add_argument("--rows", type=int, default=2400)
    parser.add_argument("--features", type=int, default=5)
    parser.add_argument("--noise", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--gbr_seeds", type=int, default=5,
                        help="random_state values averaged for GradientBoostingRegressor")
    args = parser.parse_args()
    if args.golden:
        golden()
        return 0
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="tree_parity_")
    os.makedirs(data_dir, exist_ok=True)
    if not args.no_build:
        run_binary(data_dir, args)
    return compare(data_dir, list(range(args.gbr_seeds)))


if __name__ == "__main__":
    sys.exit(main())
