#!/usr/bin/python3
"""Derives golden predictions for published scikit-learn / curve-fit model archives (offline oracle).

The product never runs Python; this script only produces testdata/golden/sklearn*/ *.json, which the
C++ scikit-learn evaluator (core/sklearn tests) is compared against. For every component of an
archive's component map it does what the reference estimator does (reference-behaviour §1.7): take
the component's `features` columns of the input rows, apply each file of `fe_files` in order
(scaler.pkl: MaxAbsScaler.transform; poly_scaler.pkl: PolynomialFeatures.transform), predict with
the component's estimator and clamp negative predictions to 0.

Why a renaming unpickler: the published archives were written by scikit-learn 1.5.1 under numpy 2,
while the only scikit-learn here is Debian's 1.2.1 (numpy 1.24). The pickles are loaded into the
REAL 1.2.1 classes, so prediction runs sklearn's own code (tree traversal, KDTree query, libsvm,
PolynomialFeatures); only the on-disk layout is adapted while loading:
  * module `numpy._core*` -> `numpy.core*` (also inside the nested plain pickles joblib uses for
    object arrays such as GradientBoosting's estimators_, which this unpickler reads itself);
  * numpy 2's RandomState pickle (`__bit_generator_ctor` gets the MT19937 class rather than its
    name; BitGenerator state is a (dict, SeedSequence) pair) -> rebuilt for numpy 1.24;
  * sklearn.tree._tree.Tree state: the `missing_go_to_left` field is dropped from the `nodes`
    record array (1.5: 8 fields, itemsize 64; 1.2: 7 fields, itemsize 56);
  * GradientBoostingRegressor `_loss` (1.5: sklearn._loss.loss.HalfSquaredError) is replaced by
    1.2's sklearn.ensemble._gb_losses.LeastSquaresError (what 1.2's _raw_predict_init calls:
    init_.predict(X) as the raw start, then the trees' sum times learning_rate);
  * the Cython half of that loss is pickled under the bare module name `_loss`
    (`_loss.__pyx_unpickle_CyHalfSquaredError`, `_loss.CyHalfSquaredError`) -> sklearn._loss._loss;
  * sklearn.metrics._dist_metrics.EuclideanDistance64 -> 1.2's EuclideanDistance (same
    (p, vec, mat) state); 1.2's KDTree takes 1.5's 13-field state unchanged. Should a KDTree
    state ever be refused, `_tree` is rebuilt from `_fit_X` with the same leaf_size.
  * `trainer.curvefit.CurveFitModel` and the trainers' `log_func` / `expo_func` / `logi_func` /
    `p0_func` are stand-ins registered here, implementing the reference formulas with numpy.
For archives written by scikit-learn 1.2 (testdata/model-db-sklearn12/) every adaptation is a
no-op; the JSON lists the adaptations that actually fired.

Inputs per archive: zeros; the scaler's max_abs_ row exactly; half of it; for KNN models some
training points (_fit_X * scale_); rows beyond the training range (2x, 10x, 100x max_abs_); then
40 rows from numpy.random.RandomState(0) uniform in [0, 1.3 * max_abs_] per feature (1.3 when
max_abs_ is 0). For KNN components `knn_ties` lists the rows whose k-th and (k+1)-th nearest
training distances are equal while the tied candidates' targets differ (prediction then depends
on sklearn's traversal order). kd_tree distances are compared exactly as sklearn computes them
(sequential sum of squared float64 differences, and its sqrt); brute models (GEMM-based
distances in sklearn) use a relative tolerance of 1e-9 instead.

Needs Debian bookworm's python3-sklearn, python3-numpy, python3-scipy, python3-joblib.
Usage: /usr/bin/python3 tools/parity/sklearn_golden.py ARCHIVE.zip [ARCHIVE.zip ...] OUTDIR
"""
import io
import json
import os
import pickle
import sys
import types
import warnings
import zipfile

import joblib
import numpy as np
import scipy
import sklearn
from joblib.numpy_pickle import NumpyArrayWrapper, NumpyUnpickler
from joblib.numpy_pickle_utils import _ensure_native_byte_order, _read_fileobject
from sklearn.ensemble._gb import GradientBoostingRegressor
from sklearn.ensemble._gb_losses import LeastSquaresError
from sklearn.neighbors import KDTree, KNeighborsRegressor
from sklearn.tree import _tree

OUTPUT_TYPES = ("AbsPower", "DynPower")
N_RANDOM_ROWS = 40
BRUTE_TIE_RTOL = 1e-9

# ---------------------------------------------------------------------------------------------
# Stand-ins for the reference trainer's curve-fit model (kepler-model-server src/kepler_model/
# train/trainer/curvefit.py and the *RegressionTrainer/main.py fit functions).


def log_func(x, a, b, c):
    return a * np.log(b * x + 1) + c


def expo_func(x, a, b, c):
    return a * np.exp(b * x) + c


def logi_func(x, A, x0, k, off):
    return A / (1 + np.exp(-k * (x - x0))) + off


def p0_func(*args, **kwargs):  # only used for fitting; never called when predicting
    raise RuntimeError("p0_func stand-in called")


class CurveFitModel:
    def predict(self, X):
        X = np.asarray(X)
        return self.fit_func(X[:, self.feature_index], *self.popt)


def register_curvefit_stand_ins():
    def module(name):
        mod = sys.modules.get(name)
        if mod is None:
            mod = types.ModuleType(name)
            sys.modules[name] = mod
            parent, _, child = name.rpartition(".")
            if parent:
                setattr(module(parent), child, mod)
        return mod

    cf = module("trainer.curvefit")
    CurveFitModel.__module__ = cf.__name__
    cf.CurveFitModel = CurveFitModel
    for trainer, func in (("LogarithmicRegressionTrainer", log_func),
                          ("ExponentialRegressionTrainer", expo_func),
                          ("LogisticRegressionTrainer", logi_func)):
        main = module("train.trainer.%s.main" % trainer)
        setattr(main, func.__name__, func)
        main.p0_func = p0_func


# ---------------------------------------------------------------------------------------------
# numpy 2 RandomState pickles -> numpy 1.24


class _BitGeneratorShim:
    """What numpy 2's __bit_generator_ctor(MT19937) returns; BUILD hands it (state, seed_seq)."""

    def __init__(self, cls):
        self.cls = cls
        self.state = None

    def __setstate__(self, state):
        self.state = state[0] if isinstance(state, tuple) else state

    def make(self):
        bitgen = self.cls()
        if self.state is not None:
            bitgen.state = self.state
        return bitgen


def _bit_generator_ctor(bit_generator="MT19937"):
    return _BitGeneratorShim(bit_generator)


def _randomstate_ctor(bit_generator="MT19937", bit_generator_ctor=None):
    return np.random.RandomState(bit_generator.make())


def _numpy2_tolerant(name, adaptations):
    """numpy.random._pickle.<name>, switching to the stand-in only for numpy 2's arguments."""
    from numpy.random import _pickle as nprp
    real = getattr(nprp, name)
    shim = _bit_generator_ctor if name == "__bit_generator_ctor" else _randomstate_ctor

    def ctor(*args):
        if args and not isinstance(args[0], str):
            adaptations.add("numpy.random._pickle.%s(%s) -> numpy-2-tolerant stand-in"
                            % (name, type(args[0]).__name__))
            return shim(*args)
        return real(*args)

    return ctor


# ---------------------------------------------------------------------------------------------
# The renaming unpickler.

ALLOWED_PREFIXES = ("numpy.", "sklearn.", "scipy.", "joblib.numpy_pickle", "trainer.curvefit",
                    "train.trainer.")
ALLOWED_GLOBALS = {("numpy", "ndarray"), ("numpy", "dtype"), ("_codecs", "encode"),
                   ("copyreg", "_reconstructor"), ("builtins", "object"), ("builtins", "slice"),
                   ("builtins", "set"), ("builtins", "frozenset"), ("builtins", "complex")}
CLASS_RENAMES = {
    ("sklearn.metrics._dist_metrics", "EuclideanDistance64"):
        ("sklearn.metrics._dist_metrics", "EuclideanDistance"),
}


def _convert_tree_nodes(nodes, adaptations):
    """1.5 nodes (with missing_go_to_left) -> 1.2 NODE_DTYPE, copying fields by name."""
    target = _tree.NODE_DTYPE
    if nodes.dtype == target:
        return nodes
    dropped = [n for n in nodes.dtype.names if n not in target.names]
    out = np.zeros(nodes.shape, dtype=target)
    for name in target.names:
        out[name] = nodes[name]
    adaptations.add("Tree nodes: %s (itemsize %d) -> 1.2 NODE_DTYPE (itemsize %d), dropped %s"
                    % (nodes.dtype.names, nodes.dtype.itemsize, target.itemsize, dropped))
    return out


class _RenamingMixin:
    def find_class(self, module, name):
        original = (module, name)
        if module == "numpy._core" or module.startswith("numpy._core."):
            module = "numpy.core" + module[len("numpy._core"):]
        if module == "_loss":  # 1.5's Cython loss classes report the bare module name
            module = "sklearn._loss._loss"
        if (module, name) in CLASS_RENAMES:
            module, name = CLASS_RENAMES[(module, name)]
        if (module, name) != original:
            self.adaptations.add("%s.%s -> %s.%s" % (original + (module, name)))
        if module == "numpy.random._pickle" and name in ("__bit_generator_ctor",
                                                          "__randomstate_ctor"):
            return _numpy2_tolerant(name, self.adaptations)
        if not (module.startswith(ALLOWED_PREFIXES) or (module, name) in ALLOWED_GLOBALS):
            raise pickle.UnpicklingError("global %s.%s is not expected" % (module, name))
        return pickle._Unpickler.find_class(self, module, name)

    def _build(self):
        """BUILD with the per-class state adaptations."""
        state, inst = self.stack[-1], self.stack[-2]
        if isinstance(inst, _tree.Tree) and isinstance(state, dict) and "nodes" in state:
            state = dict(state)
            state["nodes"] = _convert_tree_nodes(state["nodes"], self.adaptations)
            self.stack[-1] = state
        if isinstance(inst, KDTree):
            try:
                pickle._Unpickler.load_build(self)
            except (TypeError, ValueError) as e:  # 1.2 refuses the state: rebuilt in post_load
                self.stack.pop()
                self.stack[-1] = _UnusableKDTree(str(e))
            return
        pickle._Unpickler.load_build(self)


class _UnusableKDTree:
    def __init__(self, reason):
        self.reason = reason


class _NestedUnpickler(_RenamingMixin, pickle._Unpickler):
    """The plain pickle joblib embeds for object-dtype arrays (read with pickle.load)."""

    dispatch = pickle._Unpickler.dispatch.copy()

    def __init__(self, file, parent):
        pickle._Unpickler.__init__(self, file)
        self.adaptations = parent.adaptations

    def load_build(self):
        self._build()

    dispatch[pickle.BUILD[0]] = load_build


class RenamingUnpickler(_RenamingMixin, NumpyUnpickler):
    dispatch = NumpyUnpickler.dispatch.copy()

    def __init__(self, file_handle):
        NumpyUnpickler.__init__(self, "", file_handle)
        self.adaptations = set()

    def load_build(self):
        self._build()
        wrapper = self.stack[-1]
        if isinstance(wrapper, NumpyArrayWrapper):
            self.stack.pop()
            if wrapper.dtype.hasobject:  # what NumpyArrayWrapper.read_array does, renaming too
                array = _NestedUnpickler(self.file_handle, self).load()
                self.stack.append(_ensure_native_byte_order(array))
            else:
                self.stack.append(wrapper.read(self))

    dispatch[pickle.BUILD[0]] = load_build


def load_pickle(data, adaptations):
    """joblib.load on bytes (raw or joblib-compressed), through the renaming unpickler."""
    with _read_fileobject(io.BytesIO(data), "", None) as fobj:
        unpickler = RenamingUnpickler(fobj)
        obj = unpickler.load()
    adaptations |= unpickler.adaptations
    return post_load(obj, adaptations)


def post_load(obj, adaptations):
    if isinstance(obj, GradientBoostingRegressor):
        if not hasattr(obj._loss, "get_init_raw_predictions"):
            adaptations.add("GradientBoostingRegressor._loss %s.%s -> %s.%s" % (
                type(obj._loss).__module__, type(obj._loss).__name__,
                LeastSquaresError.__module__, LeastSquaresError.__name__))
            obj._loss = LeastSquaresError()
    if isinstance(obj, KNeighborsRegressor) and obj._fit_method == "kd_tree":
        tree = obj._tree
        usable = isinstance(tree, KDTree) and np.array_equal(np.asarray(tree.data), obj._fit_X)
        if not usable:
            adaptations.add("KNeighborsRegressor._tree rebuilt from _fit_X (%s)"
                            % getattr(tree, "reason", type(tree).__name__))
            obj._tree = KDTree(obj._fit_X, leaf_size=obj.leaf_size,
                               metric=obj.effective_metric_, **obj.effective_metric_params_)
    return obj


# ---------------------------------------------------------------------------------------------


def golden_name(archive):
    parts = os.path.normpath(os.path.abspath(archive)).split(os.sep)
    stem = os.path.splitext(parts[-1])[0]
    if len(parts) >= 6 and parts[-3] in OUTPUT_TYPES:
        return "%s_%s_%s_%s.json" % (parts[-5], parts[-4], parts[-3], stem)
    return stem + ".json"


def make_inputs(max_abs, knn_models, scale):
    max_abs = np.asarray(max_abs, dtype=np.float64)
    rows = [np.zeros_like(max_abs), max_abs.copy(), max_abs / 2]
    seen = set()
    for model in knn_models:
        fit_x = np.asarray(model._fit_X)
        n = fit_x.shape[0]
        for i in sorted({0, 1, n // 3, n // 2, (2 * n) // 3, n - 1}):
            row = fit_x[i] * scale
            key = row.tobytes()
            if key not in seen:
                seen.add(key)
                rows.append(row)
    beyond = np.where(max_abs > 0, max_abs, 1.0)
    rows += [beyond * 2, beyond * 10, beyond * 100]
    rng = np.random.RandomState(0)
    hi = np.where(max_abs > 0, max_abs * 1.3, 1.3)
    for _ in range(N_RANDOM_ROWS):
        rows.append(rng.uniform(0, 1, len(max_abs)) * hi)
    return np.array(rows, dtype=np.float64)


def knn_tie_rows(model, x):
    """Rows whose k-th and (k+1)-th nearest training distances tie between differing targets."""
    fit_x = np.asarray(model._fit_X, dtype=np.float64)
    y = np.asarray(model._y, dtype=np.float64).reshape(fit_x.shape[0], -1)
    k = model.n_neighbors
    if k >= fit_x.shape[0]:
        return []
    exact = model._fit_method == "kd_tree"
    rows = []
    for r, q in enumerate(np.asarray(x, dtype=np.float64)):
        rdist = np.zeros(fit_x.shape[0])
        for j in range(fit_x.shape[1]):  # sequential sum, as EuclideanDistance.rdist does
            d = q[j] - fit_x[:, j]
            rdist = rdist + d * d
        dist = np.sqrt(rdist)
        for values in (rdist, dist):
            order = np.argsort(values, kind="stable")
            kth, nxt = values[order[k - 1]], values[order[k]]
            if exact:
                tied = values == kth
                is_tie = kth == nxt
            else:
                tol = BRUTE_TIE_RTOL * max(abs(kth), 1e-300)
                tied = np.abs(values - kth) <= tol
                is_tie = abs(nxt - kth) <= tol
            if is_tie and len({t.tobytes() for t in y[tied]}) > 1:
                rows.append(r)
                break
    return rows


def apply_fe(fe_objects, x):
    for fe in fe_objects:
        x = fe.transform(x)
    return x


def golden_for(archive):
    adaptations = set()
    z = zipfile.ZipFile(archive)
    metadata = json.loads(z.read("metadata.json"))
    component_map = json.loads(z.read(metadata["model_file"]))
    features = metadata["features"]
    cache = {}

    def load(name):
        if name not in cache:
            cache[name] = load_pickle(z.read(name), adaptations)
        return cache[name]

    models = {c: load(spec["model_file"]) for c, spec in component_map.items()}
    fes = {c: [load(fe) for fe in spec["fe_files"]] for c, spec in component_map.items()}
    scalers = [fe for c in fes for fe in fes[c] if hasattr(fe, "max_abs_")]
    assert scalers, "every published archive scales with scaler.pkl"
    scaler = scalers[0]
    for spec in component_map.values():
        assert spec["features"] == features, "golden script assumes one feature list"
    knn = [m for m in models.values() if isinstance(m, KNeighborsRegressor)]
    x = make_inputs(scaler.max_abs_, knn, scaler.scale_)

    outputs, ties, scales = {}, {}, {}
    for component, spec in component_map.items():
        cols = [features.index(f) for f in spec["features"]]
        cx = apply_fe(fes[component], x[:, cols])
        y = np.asarray(models[component].predict(cx), dtype=np.float64).ravel()
        y = np.where(y < 0, 0, y)
        outputs[component] = [float(v) for v in y]
        for fe in fes[component]:
            if hasattr(fe, "scale_"):
                scales[component] = [float(s) for s in fe.scale_]
        if isinstance(models[component], KNeighborsRegressor):
            sx = apply_fe([fe for fe in fes[component] if hasattr(fe, "scale_")], x[:, cols])
            ties[component] = knn_tie_rows(models[component], sx)

    golden = {
        "archive": archive,
        "produced_by": "tools/parity/sklearn_golden.py with scikit-learn %s, numpy %s, joblib %s,"
        " scipy %s" % (sklearn.__version__, np.__version__, joblib.__version__, scipy.__version__),
        "model_class": metadata.get("model_class"),
        "estimators": {c: type(m).__module__ + "." + type(m).__name__ for c, m in models.items()},
        "fe_files": {c: spec["fe_files"] for c, spec in component_map.items()},
        "adaptations": sorted(adaptations),
        "features": features,
        "scales": scales,
        "inputs": x.tolist(),
        "outputs": outputs,
    }
    if ties:
        golden["knn_ties"] = ties
    return golden


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    register_curvefit_stand_ins()
    warnings.simplefilter("ignore")  # version mismatch and feature-name warnings
    out_dir = argv[-1]
    os.makedirs(out_dir, exist_ok=True)
    for archive in argv[1:-1]:
        golden = golden_for(archive)
        out_path = os.path.join(out_dir, golden_name(archive))
        with open(out_path, "w") as f:
            json.dump(golden, f, indent=1, allow_nan=False)
            f.write("\n")
        print("%s -> %s%s" % (archive, out_path,
                              " ties %s" % golden["knn_ties"] if golden.get("knn_ties") else ""))


if __name__ == "__main__":
    main(sys.argv)
