#!/usr/bin/env python3
"""Writes the pickle fixtures of core/pickle_scaler_test into testdata/pickle/.

Offline tool (the product never runs Python). Needs python3-numpy only: scikit-learn is not
imported; a stand-in class registered as sklearn.preprocessing._data.MaxAbsScaler pickles exactly
like the real estimator's __dict__ (scale_, max_abs_, n_features_in_, n_samples_seen_), so the
files exercise numpy's own ndarray/dtype reduction at each protocol. The joblib-format scalers are
the published ones inside the model archives.

Usage: python3 tools/parity/pickle_fixtures.py testdata/pickle
"""
import os
import pickle
import sys
import types

import numpy as np


def fake_sklearn():
    module = types.ModuleType("sklearn.preprocessing._data")

    class MaxAbsScaler:  # the attributes sklearn 1.x sets by fit()
        pass

    MaxAbsScaler.__module__ = module.__name__
    MaxAbsScaler.__qualname__ = "MaxAbsScaler"
    module.MaxAbsScaler = MaxAbsScaler
    for name in ("sklearn", "sklearn.preprocessing", "sklearn.preprocessing._data"):
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules[module.__name__] = module
    return MaxAbsScaler


class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def main(out_dir):
    scaler = fake_sklearn()()
    scaler.copy = True
    scaler.n_features_in_ = 3
    scaler.n_samples_seen_ = 172
    scaler.max_abs_ = np.array([95877.00000000001, 0.0, 3.5])
    scaler.scale_ = np.array([95877.00000000001, 1.0, 3.5])
    scaler._sklearn_version = "1.5.1"
    os.makedirs(out_dir, exist_ok=True)
    for protocol in (2, 3, 4, 5):
        with open(os.path.join(out_dir, f"scaler_numpy_p{protocol}.pkl"), "wb") as f:
            pickle.dump(scaler, f, protocol=protocol)
    # Fitted on no features: well-formed, but nothing to scale with (found by the fuzzer).
    scaler.n_features_in_ = 0
    scaler.max_abs_ = np.array([], dtype=np.float64)
    scaler.scale_ = np.array([], dtype=np.float64)
    with open(os.path.join(out_dir, "scaler_empty_p4.pkl"), "wb") as f:
        pickle.dump(scaler, f, protocol=4)
    with open(os.path.join(out_dir, "evil_os_system.pkl"), "wb") as f:
        pickle.dump(Evil(), f, protocol=4)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "testdata/pickle")
