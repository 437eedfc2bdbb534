#!/usr/bin/python3
"""Derives golden predictions for a published XgboostFitTrainer archive (offline parity oracle).

The product never runs Python; this script only produces testdata/golden/*.json, which
core/model_loader_test compares the C++ evaluation against. It evaluates the archive the way the
reference estimator does (reference-behaviour §1.7): for each component of the component map, take
the `features` columns, apply each file in `fe_files` (scaler.pkl: divide by MaxAbsScaler.scale_),
predict with the native xgboost JSON booster, clamp negatives to 0.

scaler.pkl is read with joblib itself; scikit-learn is not needed: a stand-in class is registered
under sklearn.preprocessing._data.MaxAbsScaler, so joblib restores the fitted attributes
(scale_ as a numpy array) exactly as it would into the real class.

Needs Debian's python3-xgboost, python3-numpy and python3-joblib (run with /usr/bin/python3).
Usage: tools/parity/xgboost_golden.py ARCHIVE.zip OUT.json
"""
import io
import json
import sys
import types
import zipfile

import joblib
import numpy as np
import xgboost as xgb


def register_sklearn_stand_in():
    module = types.ModuleType("sklearn.preprocessing._data")
    module.MaxAbsScaler = type("MaxAbsScaler", (), {"__module__": module.__name__})
    for name in ("sklearn", "sklearn.preprocessing"):
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules[module.__name__] = module


def inputs(rng):
    rows = [[0.0, 0.0], [95877.00000000001, 1.0], [1000.0, 0.5], [200000.0, 10.0]]
    for cpu, cache in zip(rng.uniform(0, 120000, 28), rng.uniform(0, 4, 28)):
        rows.append([float(cpu), float(cache)])
    return rows


def main(archive, out_path):
    register_sklearn_stand_in()
    z = zipfile.ZipFile(archive)
    metadata = json.loads(z.read("metadata.json"))
    component_map = json.loads(z.read(metadata["model_file"]))
    features = metadata["features"]
    x = np.array(inputs(np.random.RandomState(0)), dtype=np.float64)
    outputs, scales = {}, {}
    for component, spec in component_map.items():
        assert spec["features"] == features, "golden script assumes one feature list"
        cx = x.copy()
        for fe in spec["fe_files"]:
            assert fe == "scaler.pkl", fe
            scaler = joblib.load(io.BytesIO(z.read(fe)))
            scales[component] = [float(s) for s in scaler.scale_]
            cx = cx / scaler.scale_
        booster = xgb.Booster()
        booster.load_model(bytearray(z.read(spec["model_file"])))
        y = booster.inplace_predict(cx)
        y = np.where(y < 0, 0, y)
        outputs[component] = [float(v) for v in y]
    golden = {
        "archive": archive,
        "produced_by": "tools/parity/xgboost_golden.py with xgboost %s, numpy %s, joblib %s"
        % (xgb.__version__, np.__version__, joblib.__version__),
        "features": features,
        "scales": scales,
        "inputs": x.tolist(),
        "outputs": outputs,
    }
    with open(out_path, "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
