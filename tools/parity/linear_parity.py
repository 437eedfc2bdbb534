#!/usr/bin/python3
"""Parity of the linear and curve-fit trainer families with scikit-learn and SciPy.

Development tool only (never used by the product or the tests). Reads the data sets and the C++
test MAE written by //trainer:parity_dump, fits the reference's models with the reference's
hyper-parameters (contract reference-behaviour §7.3) on the same MaxAbs scaling and the same
train/test split, and prints a Markdown table of test MAE per family, component and data set.

    bazel run //trainer:parity_dump -- --out_dir=/tmp/parity
    /usr/bin/python3 tools/parity/linear_parity.py /tmp/parity

Needs Debian's python3-sklearn, python3-scipy, python3-numpy.
"""
import csv
import math
import sys
import warnings

import numpy as np
from scipy.optimize import curve_fit
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression, SGDRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MaxAbsScaler, PolynomialFeatures

FEATURES = ["cache_miss", "cpu_cycles", "cpu_instructions"]
COMPONENTS = ["package", "dram"]
# CounterOnly: main feature cpu_instructions (index 2), dram feature cache_miss (index 0).
MAIN_INDEX = {"package": 2, "dram": 0}
DATASETS = ["linear", "saturating", "sigmoid"]
SGD_SEEDS = range(5)


def logarithmic(x, a, b, c):
    return a * np.log(b * x + 1) + c


def exponential(x, a, b, c):
    return a * np.exp(b * x) + c


def logistic(x, A, x0, k, off):
    return A / (1 + np.exp(-k * (x - x0))) + off


def start_values(name, y):
    lo, hi = float(np.min(y)), float(np.max(y))
    if name == "LogarithmicRegressionTrainer":
        return [hi - lo, 1, lo]
    if name == "ExponentialRegressionTrainer":
        a = math.floor((hi - lo) / math.e)
        return [a, 1, lo - a]
    A = hi - lo
    return [A, 0.5, math.floor(A / np.std(y)), lo]


CURVES = {
    "LogarithmicRegressionTrainer": logarithmic,
    "ExponentialRegressionTrainer": exponential,
    "LogisticRegressionTrainer": logistic,
}


def load(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    x = np.array([[float(r[f]) for f in FEATURES] for r in rows])
    y = {c: np.array([float(r[c + "_power"]) for r in rows]) for c in COMPONENTS}
    test = np.array([r["split"] == "test" for r in rows])
    return x, y, test


def mae(model_predict, x, y):
    return float(np.mean(np.abs(y - model_predict(x))))


def reference_mae(name, component, x_train, y_train, x_test, y_test):
    if name == "LinearRegressionTrainer":
        return mae(LinearRegression(positive=True).fit(x_train, y_train).predict, x_test, y_test)
    if name == "PolynomialRegressionTrainer":
        model = make_pipeline(PolynomialFeatures(degree=2), LinearRegression())
        return mae(model.fit(x_train, y_train).predict, x_test, y_test)
    if name == "SGDRegressorTrainer":
        maes = [mae(SGDRegressor(max_iter=1000, random_state=s).fit(x_train, y_train).predict,
                    x_test, y_test) for s in SGD_SEEDS]
        return float(np.mean(maes))
    f = CURVES[name]
    i = MAIN_INDEX[component]
    try:
        popt, _ = curve_fit(f, x_train[:, i], y_train, p0=start_values(name, y_train), maxfev=30000)
    except RuntimeError:
        return float("nan")
    return mae(lambda x: f(x[:, i], *popt), x_test, y_test)


def main(folder):
    warnings.simplefilter("ignore", ConvergenceWarning)
    ours = {}
    with open(f"{folder}/cpp_mae.csv") as f:
        for r in csv.DictReader(f):
            ours[(r["dataset"], r["trainer"], r["component"])] = float(r["mae"])
    trainers = list(dict.fromkeys(k[1] for k in ours))
    print("| trainer | data set | component | C++ test MAE (W) | reference test MAE (W) | C++ / reference |")
    print("|---|---|---|---|---|---|")
    worst = 0.0
    for name in trainers:
        for dataset in DATASETS:
            x, y, test = load(f"{folder}/{dataset}.csv")
            xs = MaxAbsScaler().fit(x).transform(x)  # fitted on all rows of the node type
            for c in COMPONENTS:
                ref = reference_mae(name, c, xs[~test], y[c][~test], xs[test], y[c][test])
                cpp = ours[(dataset, name, c)]
                ratio = cpp / ref
                worst = max(worst, ratio)
                print(f"| {name} | {dataset} | {c} | {cpp:.4f} | {ref:.4f} | {ratio:.4f} |")
    print(f"\nworst C++/reference ratio: {worst:.4f}")


def golden_data():
    """The 40-row data set of trainer/testing/linear_golden.h (no RNG: same rows everywhere)."""
    i = np.arange(40)
    x = np.stack([((i * 5 + 1) % 64) / 64.0, ((i * 11 + 3) % 64) / 64.0,
                  ((i * 23 + 7) % 64) / 64.0], axis=1)
    y = 20 + 30 * x[:, 0] - 4 * x[:, 1] + 10 * np.sin(4 * x[:, 2]) + 25 * np.log(3 * x[:, 0] + 1)
    return x, y


def golden():
    """Prints scikit-learn's and SciPy's fitted parameters on golden_data() as C++ constants."""
    x, y = golden_data()
    fmt = lambda v: ", ".join(repr(float(t)) for t in v)
    lin = LinearRegression(positive=True).fit(x, y)
    print(f"// LinearRegression(positive=True)\ncoef {{{fmt(lin.coef_)}}} intercept {lin.intercept_!r}")
    poly = make_pipeline(PolynomialFeatures(degree=2), LinearRegression()).fit(x, y)
    reg = poly[-1]
    print(f"// PolynomialFeatures(2) + LinearRegression()\ncoef {{{fmt(reg.coef_)}}} "
          f"intercept {reg.intercept_!r}")
    for name, f in CURVES.items():
        popt, _ = curve_fit(f, x[:, 0], y, p0=start_values(name, y), maxfev=30000)
        print(f"// {name} on column 0\nparams {{{fmt(popt)}}}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--golden":
        golden()
    else:
        main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/parity")
