#!/usr/bin/python3
"""Parity of the ten trainer families with the reference libraries on generated captures.

Development tool only (never used by the product or the tests). Reads what
//trainer:capture_parity_dump wrote for a capture: the training pipeline's own scaled train/test
matrices per (source, output type, feature group, node type, component), with its split, and the
pipeline's test MAE per model and component. Fits the reference's models with the reference's
hyper-parameters (contract reference-behaviour §7.3) on the same rows, and prints a Markdown
table of test MAE per trainer: C++ / reference summed over every table and component, and the
worst single cell. MAEs are rounded to 2 decimals on both sides, as the pipeline (and the
reference's metadata) rounds them. scikit-learn's SGD and gradient boosting are random (SGD's
shuffling, gradient boosting's tie-breaking): their MAE is the mean over random_state 0-4; the
pipeline's is its own (seed 0).

    bazel run -c opt //tools:generate-capture -- --output=/tmp/c2h.json --duration=7200 \\
        --containers=100 --packages=2 --workload=mixed
    bazel run -c opt //trainer:capture_parity_dump -- --capture=/tmp/c2h.json --out_dir=/tmp/cp2h
    /usr/bin/python3 tools/parity/capture_parity.py /tmp/cp2h [--jobs 2] [--cells cells.csv]

Needs Debian's python3-sklearn, python3-xgboost, python3-scipy, python3-numpy.
"""
import argparse
import csv
import math
import multiprocessing
import os
import warnings

import numpy as np
from scipy.optimize import curve_fit
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression, SGDRegressor
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures
from sklearn.svm import SVR
from xgboost import XGBRegressor

SEEDS = range(5)


def logarithmic(x, a, b, c):
    return a * np.log(b * x + 1) + c


def exponential(x, a, b, c):
    return a * np.exp(b * x) + c


def logistic(x, A, x0, k, off):
    return A / (1 + np.exp(-k * (x - x0))) + off


CURVES = {
    "LogarithmicRegressionTrainer": logarithmic,
    "ExponentialRegressionTrainer": exponential,
    "LogisticRegressionTrainer": logistic,
}


def start_values(name, y):
    lo, hi = float(np.min(y)), float(np.max(y))
    if name == "LogarithmicRegressionTrainer":
        return [hi - lo, 1, lo]
    if name == "ExponentialRegressionTrainer":
        a = math.floor((hi - lo) / math.e)
        return [a, 1, lo - a]
    A = hi - lo
    return [A, 0.5, math.floor(A / np.std(y)), lo]


def models(name):
    """The reference's model(s) for `name` (several for the random ones), §7.3."""
    if name == "LinearRegressionTrainer":
        return [LinearRegression(positive=True)]
    if name == "SGDRegressorTrainer":
        return [SGDRegressor(max_iter=1000, random_state=s) for s in SEEDS]
    if name == "PolynomialRegressionTrainer":
        return [make_pipeline(PolynomialFeatures(degree=2), LinearRegression())]
    if name == "GradientBoostingRegressorTrainer":
        return [GradientBoostingRegressor(n_estimators=100, max_depth=3, learning_rate=0.1,
                                          random_state=s) for s in SEEDS]
    if name == "KNeighborsRegressorTrainer":
        return [KNeighborsRegressor(n_neighbors=6)]
    if name == "SVRRegressorTrainer":
        return [SVR(C=1.0, epsilon=0.2)]
    if name == "XgboostFitTrainer":
        return [XGBRegressor(n_estimators=100, learning_rate=0.1, n_jobs=1)]
    raise ValueError(name)


def reference_mae(name, main_index, x_train, y_train, x_test, y_test):
    """Test MAEs of the reference's fit (one per seed for the random families), or None when
    the reference cannot fit."""
    if name in CURVES:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                p, _ = curve_fit(CURVES[name], x_train[:, main_index], y_train,
                                 p0=start_values(name, y_train), maxfev=30000)
        except (RuntimeError, ValueError):
            return None
        return [float(np.mean(np.abs(CURVES[name](x_test[:, main_index], *p) - y_test)))]
    if name == "KNeighborsRegressorTrainer" and len(y_train) < 6:
        return None
    maes = []
    for model in models(name):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(x_train, y_train)
        maes.append(float(np.mean(np.abs(model.predict(x_test) - y_test))))
    return maes


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))[1:]
    part = np.array([r[0] for r in rows])
    data = np.array([[float(v) for v in r[2:]] for r in rows])
    x, y = data[:, :-1], data[:, -1]
    return x[part == "train"], y[part == "train"], x[part == "test"], y[part == "test"]


def fit_cell(job):
    """One (data file, trainer): the reference's mean MAE, its lowest and highest over seeds,
    rounded as the pipeline rounds; None when the reference cannot fit."""
    dump_dir, entry, trainer = job
    x_train, y_train, x_test, y_test = load(os.path.join(dump_dir, entry["file"]))
    maes = reference_mae(trainer, int(entry["main_feature_index"]), x_train, y_train, x_test,
                         y_test)
    if maes is None:
        return None
    return round(float(np.mean(maes)), 2), round(min(maes), 2), round(max(maes), 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dump_dir")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--cells", help="also write every cell to this CSV")
    args = parser.parse_args()

    manifest = read_csv(os.path.join(args.dump_dir, "manifest.csv"))
    by_key = {(e["source"], e["output_type"], e["group"], e["node_type"], e["component"]): e
              for e in manifest}
    cells, skipped = [], []
    for row in read_csv(os.path.join(args.dump_dir, "cpp_mae.csv")):
        trainer, node_type = row["model"].rsplit("_", 1)
        if row["skipped"]:
            skipped.append((row, trainer))
            continue
        entry = by_key[(row["source"], row["output_type"], row["group"], node_type,
                        row["component"])]
        cells.append((entry, trainer, float(row["mae"])))

    with multiprocessing.Pool(args.jobs) as pool:
        refs = pool.map(fit_cell, [(args.dump_dir, e, t) for e, t, _ in cells], chunksize=1)

    per_trainer = {}
    for (entry, trainer, cpp), result in zip(cells, refs):
        stats = per_trainer.setdefault(trainer, {"cells": 0, "cpp": 0.0, "ref": 0.0,
                                                 "worst": 0.0, "worst_cell": "",
                                                 "ref_failed": 0, "in_seed_range": 0})
        if result is None:
            stats["ref_failed"] += 1
            continue
        ref, lo, hi = result
        stats["cells"] += 1
        stats["in_seed_range"] += lo != hi and lo <= cpp <= hi
        stats["cpp"] += cpp
        stats["ref"] += ref
        ratio = cpp / ref if ref > 0 else (1.0 if cpp == 0 else math.inf)
        if ratio > stats["worst"]:
            stats["worst"] = ratio
            stats["worst_cell"] = "{} {} {} {}: {:.2f} / {:.2f}{}".format(
                entry["source"], entry["output_type"], entry["group"], entry["component"],
                cpp, ref, f" (seeds {lo:.2f}-{hi:.2f})" if lo != hi else "")
    if args.cells:
        with open(args.cells, "w", newline="") as f:
            out = csv.writer(f)
            out.writerow(["source", "output_type", "group", "node_type", "component", "trainer",
                          "cpp_mae", "reference_mae", "reference_lowest", "reference_highest"])
            for (entry, trainer, cpp), result in zip(cells, refs):
                out.writerow([entry["source"], entry["output_type"], entry["group"],
                              entry["node_type"], entry["component"], trainer, cpp,
                              *(["", "", ""] if result is None else result)])

    print("| trainer | cells | mean C++ MAE (W) | mean reference MAE (W) | ratio of sums | "
          "worst cell ratio | worst cell: C++ / reference (W) | C++ within the reference's "
          "seed range |")
    print("|---|---|---|---|---|---|---|---|")
    for trainer in sorted(per_trainer):
        s = per_trainer[trainer]
        n = max(s["cells"], 1)
        note = f" ({s['ref_failed']} reference fits failed)" if s["ref_failed"] else ""
        random = trainer in ("SGDRegressorTrainer", "GradientBoostingRegressorTrainer")
        within = f"{s['in_seed_range']} of {s['cells']}" if random else "-"
        print(f"| {trainer} | {s['cells']} | {s['cpp'] / n:.3f} | {s['ref'] / n:.3f} | "
              f"{s['cpp'] / s['ref'] if s['ref'] else math.nan:.4f} | {s['worst']:.4f} | "
              f"{s['worst_cell']}{note} | {within} |")
    for row, trainer in skipped:
        print(f"\nskipped by the pipeline: {row['source']} {row['output_type']} {row['group']} "
              f"{trainer}: {row['skipped']}")


if __name__ == "__main__":
    main()
