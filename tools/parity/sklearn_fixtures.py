#!/usr/bin/python3
"""Writes small scikit-learn 1.2 model archives in the published Kepler archive layout.

Why: the published archives (testdata/model-db/) were pickled by scikit-learn 1.5.1 under numpy 2.
The C++ scikit-learn loader must also read the older layouts that kepler-model-server images
built on scikit-learn 1.2 produce: tree nodes without `missing_go_to_left` (7 fields, itemsize
56), GradientBoosting's `_loss` as sklearn.ensemble._gb_losses.LeastSquaresError, module names
`numpy.core.*`, plus joblib variants (zlib-compressed pickles, protocol 2). These archives are
those fixtures, made with Debian's own scikit-learn 1.2.1; tools/parity/sklearn_golden.py then
derives their goldens (testdata/golden/sklearn12/).

Each archive is `<Trainer>_<variant>.zip` holding, like a published one: metadata.json
(model_name, model_class "scikit", model_file, features, fe_files [], output_type "AbsPower",
mae), the component map `<Trainer>_<variant>.json` ({component: {model_file, features,
fe_files}}), scaler.pkl (MaxAbsScaler fitted on the training rows), poly_scaler.pkl
(PolynomialFeatures, polynomial trainers only) and one joblib pickle per component ("package",
"dram"). The training data is synthetic and deterministic (numpy.random.RandomState(1), 300 rows,
bpf_cpu_time_ms in 0..100000, bpf_page_cache_hit in 0..5, 30 duplicated rows with fresh noise);
in the archives marked `zero_col` the second feature is constant 0, so max_abs_ is 0 and scale_
is 1.0. Zip entries get a fixed timestamp so reruns are byte-identical.

Needs Debian bookworm's python3-sklearn, python3-numpy, python3-scipy, python3-joblib.
Usage: /usr/bin/python3 tools/parity/sklearn_fixtures.py testdata/model-db-sklearn12
"""
import io
import json
import os
import sys
import zipfile

import joblib
import numpy as np
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.linear_model import LinearRegression, SGDRegressor
from sklearn.neighbors import KNeighborsRegressor
from sklearn.preprocessing import MaxAbsScaler, PolynomialFeatures
from sklearn.svm import SVR

FEATURES = ["bpf_cpu_time_ms", "bpf_page_cache_hit"]
COMPONENTS = ("package", "dram")
N_ROWS, N_DUPLICATES = 300, 30
ZIP_DATE = (2024, 8, 14, 16, 11, 0)

# (trainer, variant, estimator factory, PolynomialFeatures factory or None, zero_col, dump kwargs)
ARCHIVES = [
    ("GradientBoostingRegressorTrainer", "gb",
     lambda: GradientBoostingRegressor(random_state=0), None, False, {}),
    ("GradientBoostingRegressorTrainer", "gbzlib",
     lambda: GradientBoostingRegressor(random_state=0), None, False, {"compress": ("zlib", 3)}),
    ("GradientBoostingRegressorTrainer", "gbp2",
     lambda: GradientBoostingRegressor(random_state=0), None, True, {"protocol": 2}),
    ("KNeighborsRegressorTrainer", "kdtree",
     lambda: KNeighborsRegressor(n_neighbors=6, algorithm="kd_tree", weights="uniform"),
     None, False, {}),
    ("KNeighborsRegressorTrainer", "brute",
     lambda: KNeighborsRegressor(algorithm="brute", weights="distance"), None, True, {}),
    ("SVRRegressorTrainer", "rbf", lambda: SVR(kernel="rbf", gamma="scale"), None, False, {}),
    ("SVRRegressorTrainer", "linear", lambda: SVR(kernel="linear"), None, True, {}),
    ("SVRRegressorTrainer", "poly", lambda: SVR(kernel="poly", degree=3, coef0=1), None, False,
     {}),
    ("SVRRegressorTrainer", "sigmoid", lambda: SVR(kernel="sigmoid"), None, False, {}),
    ("SVRRegressorTrainer", "nosv", lambda: SVR(kernel="rbf", epsilon=1e6), None, False, {}),
    ("LinearRegressionTrainer", "lr", LinearRegression, None, False, {}),
    ("SGDRegressorTrainer", "sgd", lambda: SGDRegressor(random_state=0), None, True, {}),
    ("PolynomialRegressionTrainer", "poly2", LinearRegression,
     lambda: PolynomialFeatures(degree=2), False, {}),
    ("PolynomialRegressionTrainer", "poly3io", LinearRegression,
     lambda: PolynomialFeatures(degree=3, interaction_only=True, include_bias=False), True, {}),
]


def training_data(zero_col):
    rng = np.random.RandomState(1)
    n = N_ROWS - N_DUPLICATES
    x = np.column_stack([rng.uniform(0, 100000, n), rng.uniform(0, 5, n)])
    x = np.vstack([x, x[rng.choice(n, N_DUPLICATES, replace=False)]])  # duplicated rows
    if zero_col:
        x[:, 1] = 0.0
    noise = rng.normal(0, 1, (len(x), 2))
    y = {
        "package": 100 + 0.003 * x[:, 0] + 5 * np.sqrt(x[:, 1]) + 3 * noise[:, 0],
        "dram": 10 + 0.0004 * x[:, 0] + 0.5 * np.sqrt(x[:, 1]) + 0.3 * noise[:, 1],
    }
    return x, y


def dumps(obj, dump_kwargs):
    buf = io.BytesIO()
    joblib.dump(obj, buf, **dump_kwargs)
    return buf.getvalue()


def write_archive(out_dir, trainer, variant, make_model, make_poly, zero_col, dump_kwargs):
    name = "%s_%s" % (trainer, variant)
    x, y = training_data(zero_col)
    scaler = MaxAbsScaler().fit(x)
    fx = scaler.transform(x)
    fe_files = ["scaler.pkl"]
    entries = {}
    poly = None
    if make_poly is not None:
        poly = make_poly().fit(fx)
        fx = poly.transform(fx)
        fe_files.append("poly_scaler.pkl")
    models, maes = {}, {}
    for component in COMPONENTS:
        model = make_model().fit(fx, y[component])
        models[component] = model
        maes[component] = float(np.mean(np.abs(model.predict(fx) - y[component])))
    component_map = {c: {"model_file": c + ".pkl", "features": FEATURES, "fe_files": fe_files}
                     for c in COMPONENTS}
    metadata = {"model_name": name, "model_class": "scikit", "model_file": name + ".json",
                "features": FEATURES, "fe_files": [], "output_type": "AbsPower",
                "mae": round(max(maes.values()), 2)}
    for c in COMPONENTS:
        metadata[c + "_mae"] = round(maes[c], 2)
    entries["metadata.json"] = json.dumps(metadata).encode()
    entries[name + ".json"] = json.dumps(component_map).encode()
    entries["scaler.pkl"] = dumps(scaler, dump_kwargs)
    if poly is not None:
        entries["poly_scaler.pkl"] = dumps(poly, dump_kwargs)
    for c in COMPONENTS:
        entries[c + ".pkl"] = dumps(models[c], dump_kwargs)
    path = os.path.join(out_dir, name + ".zip")
    with zipfile.ZipFile(path, "w") as z:
        for entry, data in entries.items():
            info = zipfile.ZipInfo(entry, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    extra = ""
    if isinstance(models["package"], SVR):
        extra = " support vectors %s" % {c: len(m.support_) for c, m in models.items()}
    print("%s %d bytes%s" % (path, os.path.getsize(path), extra))


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for spec in ARCHIVES:
        write_archive(out_dir, *spec)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "testdata/model-db-sklearn12")
