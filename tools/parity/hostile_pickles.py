#!/usr/bin/python3
"""Writes hostile pickle files for the C++ pickle / scikit-learn loaders (testdata/pickle/hostile/).

Why: model archives are downloaded from a configurable model server, so their pickles are
untrusted input. The C++ loader never executes pickle code; it interprets a whitelisted subset
(NEWOBJ+BUILD for estimator classes, numpy's _reconstruct/dtype, joblib's NumpyArrayWrapper) and
must refuse everything else with an error, within bounded time and memory. Each file here
targets one refusal path; testdata/pickle/hostile/README.md says which and what is expected.

How: every file is composed opcode by opcode with the small assembler below (the layouts mirror
what joblib 1.2/1.4 and numpy write, see the published archives in testdata/model-db/), except
truncated_gb.pkl, which is the first half of a published GradientBoosting component pickle.
Nothing is ever unpickled by this script: several files would run `echo pwned` if loaded by
Python's pickle or joblib. Do not load them outside a loader that is meant to refuse them.

Needs only the Python standard library (any python3).
Usage: /usr/bin/python3 tools/parity/hostile_pickles.py testdata/pickle/hostile
"""
import os
import struct
import sys
import zipfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GB_ARCHIVE = os.path.join(REPO, "testdata/model-db/ec2-0.7.11/rapl-sysfs/AbsPower/BPFOnly/"
                          "GradientBoostingRegressorTrainer_0.zip")
NP_CORE = "numpy._core"  # the numpy 2 module names of the published pickles
COMMAND = "echo pwned"
ALIGN = 16  # joblib's numpy_array_alignment_bytes


class Asm:
    """Minimal pickle assembler: each method appends one opcode (or a standard idiom)."""

    def __init__(self, protocol):
        self.protocol = protocol
        self.b = bytearray()
        self.memo = 0
        if protocol >= 2:
            self.b += b"\x80" + bytes([protocol])  # PROTO

    def raw(self, data):
        self.b += data
        return self

    def memoize(self):
        if self.protocol >= 4:
            self.b += b"\x94"  # MEMOIZE
        elif self.memo < 256:
            self.b += b"q" + bytes([self.memo])  # BINPUT
        else:
            self.b += b"r" + struct.pack("<I", self.memo)  # LONG_BINPUT
        self.memo += 1
        return self.memo - 1

    def get(self, index):
        self.b += b"h" + bytes([index]) if index < 256 else b"j" + struct.pack("<I", index)

    def str(self, s):
        data = s.encode("utf-8")
        if self.protocol >= 4 and len(data) < 256:
            self.b += b"\x8c" + bytes([len(data)]) + data  # SHORT_BINUNICODE
        else:
            self.b += b"X" + struct.pack("<I", len(data)) + data  # BINUNICODE

    def bytes(self, data):
        if self.protocol >= 3:
            if len(data) < 256:
                self.b += b"C" + bytes([len(data)]) + data  # SHORT_BINBYTES
            else:
                self.b += b"B" + struct.pack("<I", len(data)) + data  # BINBYTES
        else:  # protocol 2 writes bytes as _codecs.encode(latin-1 text, 'latin1')
            self.glob("_codecs", "encode")
            self.str(data.decode("latin-1"))
            self.str("latin1")
            self.b += b"\x86R"  # TUPLE2 REDUCE

    def glob(self, module, name):
        if self.protocol >= 4:
            self.str(module)
            self.str(name)
            self.b += b"\x93"  # STACK_GLOBAL
        else:
            self.b += b"c" + module.encode() + b"\n" + name.encode() + b"\n"  # GLOBAL

    def int(self, n):
        if 0 <= n < 256:
            self.b += b"K" + bytes([n])
        elif 0 <= n < 65536:
            self.b += b"M" + struct.pack("<H", n)
        elif -2 ** 31 <= n < 2 ** 31:
            self.b += b"J" + struct.pack("<i", n)
        else:
            data = n.to_bytes((n.bit_length() + 8) // 8, "little", signed=True)
            self.b += b"\x8a" + bytes([len(data)]) + data  # LONG1

    def float(self, x):
        self.b += b"G" + struct.pack(">d", x)

    def value(self, v):
        if v is None:
            self.b += b"N"
        elif v is True:
            self.b += b"\x88"
        elif v is False:
            self.b += b"\x89"
        elif isinstance(v, int):
            self.int(v)
        elif isinstance(v, float):
            self.float(v)
        elif isinstance(v, str):
            self.str(v)
        elif isinstance(v, tuple):
            self.tuple(v)
        elif callable(v):
            v(self)
        else:
            raise TypeError(v)

    def tuple(self, items):
        if not items:
            self.b += b")"
            return
        if len(items) > 3:
            self.b += b"("
        for item in items:
            self.value(item)
        self.b += {1: b"\x85", 2: b"\x86", 3: b"\x87"}.get(len(items), b"t")

    def op(self, code):
        self.b += code

    def stop(self):
        self.b += b"."
        return bytes(self.b)


# --- idioms ------------------------------------------------------------------------------------


def dtype(descr, byteorder="<", names=None, fields=None, itemsize=-1, alignment=-1, flags=0):
    """numpy.dtype(descr, False, True) REDUCE, then BUILD with the 8-tuple dtype state."""

    def emit(a):
        a.glob("numpy", "dtype")
        a.tuple((descr, False, True))
        a.op(b"R")
        a.op(b"(")
        a.int(3)
        a.str(byteorder)
        a.op(b"N")
        if names is None:
            a.op(b"N")
        else:
            a.tuple(tuple(names))
        if fields is None:
            a.op(b"N")
        else:
            a.op(b"}(")
            for name, (field_dtype, offset) in fields:
                a.str(name)
                a.tuple((field_dtype, offset))
            a.op(b"u")
        a.int(itemsize)
        a.int(alignment)
        a.int(flags)
        a.op(b"tb")

    return emit


F8, I8 = dtype("f8"), dtype("i8")
O8 = dtype("O8", "|", flags=63)


def estimator(module, cls, items):
    """module.cls NEWOBJ, then BUILD with a dict of items (as sklearn's __getstate__ gives)."""

    def emit(a):
        a.glob(module, cls)
        a.op(b")\x81}(")  # EMPTY_TUPLE NEWOBJ EMPTY_DICT MARK
        for key, value in items:
            a.str(key)
            a.value(value)
        a.op(b"ub")  # SETITEMS BUILD

    return emit


def wrapper(shape, dt, allow_mmap):
    """joblib.numpy_pickle.NumpyArrayWrapper NEWOBJ + BUILD; the array data follows BUILD."""
    return estimator("joblib.numpy_pickle", "NumpyArrayWrapper", [
        ("subclass", lambda a: a.glob("numpy", "ndarray")),
        ("shape", tuple(shape)),
        ("order", "C"),
        ("dtype", dt),
        ("allow_mmap", allow_mmap),
        ("numpy_array_alignment_bytes", ALIGN),
    ])


def joblib_array(shape, dt, data, claimed_data=None):
    """A numeric joblib array: wrapper, padding-length byte, 0xff padding, raw data."""

    def emit(a):
        wrapper(shape, dt, True)(a)
        padding = ALIGN - (len(a.b) + 1) % ALIGN
        a.raw(bytes([padding]) + b"\xff" * padding + data)

    return emit


def joblib_object_array(shape, nested):
    """An object joblib array: wrapper, then a nested protocol-2 pickle (joblib's pickle.load)."""

    def emit(a):
        wrapper(shape, O8, False)(a)
        a.raw(nested)

    return emit


def reconstruct(shape, dt, data_emit):
    """numpy.core.multiarray._reconstruct(ndarray, (0,), b'b') REDUCE + BUILD (1, shape, ...)."""

    def emit(a):
        a.glob(NP_CORE + ".multiarray", "_reconstruct")
        a.glob("numpy", "ndarray")
        a.tuple((0,))
        a.bytes(b"b")
        a.op(b"\x87R(")  # TUPLE3 REDUCE MARK
        a.int(1)
        a.tuple(tuple(shape))
        dt(a)
        a.op(b"\x89")  # not Fortran order
        data_emit(a)
        a.op(b"tb")

    return emit


def f8_bytes(values):
    return struct.pack("<%dd" % len(values), *values)


def call(module, name, args):
    """module.name(*args) via REDUCE: what a hostile pickle uses to run code."""

    def emit(a):
        a.glob(module, name)
        a.tuple(tuple(args))
        a.op(b"R")

    return emit


def tree_items(n_nodes_state):
    return [("max_depth", 1), ("node_count", 3)] + n_nodes_state


TREE_FIELDS_15 = [("left_child", "i8", 0), ("right_child", "i8", 8), ("feature", "i8", 16),
                  ("threshold", "f8", 24), ("impurity", "f8", 32), ("n_node_samples", "i8", 40),
                  ("weighted_n_node_samples", "f8", 48), ("missing_go_to_left", "u1", 56)]


def tree_fields_15():
    """The `fields` entry of 1.5's node dtype state: name -> (field dtype, offset)."""
    return [(n, (dtype(d, "|" if d == "u1" else "<"), o)) for n, d, o in TREE_FIELDS_15]


def node_records(itemsize):
    """Three nodes (root split on feature 0 at 0.5, two leaves) packed at the given itemsize."""
    rows = [(1, 2, 0, 0.5, 1.0, 10, 10.0, 1), (-1, -1, -2, -2.0, 0.0, 5, 5.0, 0),
            (-1, -1, -2, -2.0, 0.0, 5, 5.0, 0)]
    out = b""
    for row in rows:
        rec = bytearray(max(itemsize, 64))
        struct.pack_into("<qqqddqdB", rec, 0, *row)
        out += bytes(rec[:itemsize])
    return out


def decision_tree(tree_emit):
    return estimator("sklearn.tree._classes", "DecisionTreeRegressor", [
        ("criterion", "friedman_mse"), ("splitter", "best"), ("max_depth", 1),
        ("min_samples_split", 2), ("min_samples_leaf", 1), ("n_features_in_", 2),
        ("n_outputs_", 1), ("max_features_", 2), ("tree_", tree_emit),
        ("_sklearn_version", "1.5.1"),
    ])


def sklearn_tree(nodes_emit, values_emit, cls=("sklearn.tree._tree", "Tree"), args=None):
    """Tree(n_features, n_classes array, n_outputs) REDUCE + BUILD {max_depth, ..., values}."""

    def emit(a):
        a.glob(*cls)
        if args is None:
            a.tuple((2, reconstruct((1,), I8, lambda b: b.bytes(struct.pack("<q", 1))), 1))
        else:
            a.tuple(tuple(args))
        a.op(b"R}(")
        for key, value in tree_items([("nodes", nodes_emit), ("values", values_emit)]):
            a.str(key)
            a.value(value)
        a.op(b"ub")

    return emit


def nested_pickle(obj_emit):
    a = Asm(2)
    obj_emit(a)
    return a.stop()


def gb_regressor(estimators_emit):
    return estimator("sklearn.ensemble._gb", "GradientBoostingRegressor", [
        ("n_estimators", 1), ("learning_rate", 0.1), ("loss", "squared_error"),
        ("criterion", "friedman_mse"), ("max_depth", 3), ("n_features_in_", 2),
        ("n_trees_per_iteration_", 1), ("max_features_", 2),
        ("init_", estimator("sklearn.dummy", "DummyRegressor", [
            ("strategy", "mean"), ("n_outputs_", 1),
            ("constant_", joblib_array((1, 1), F8, f8_bytes([200.0]))),
            ("_sklearn_version", "1.5.1")])),
        ("estimators_", estimators_emit),
        ("n_estimators_", 1),
        ("_sklearn_version", "1.5.1"),
    ])


def scaler(items):
    return estimator("sklearn.preprocessing._data", "MaxAbsScaler",
                     [("copy", True), ("n_features_in_", 2), ("n_samples_seen_", 100)] + items
                     + [("_sklearn_version", "1.5.1")])


def single(protocol, emit):
    a = Asm(protocol)
    emit(a)
    return a.stop()


# --- the files ---------------------------------------------------------------------------------


def global_os_system():
    # The GB layout joblib writes, with the one tree's class replaced: posix.system('echo pwned')
    # REDUCE, where sklearn.tree._tree.Tree(2, array([1]), 1) REDUCE would be.
    values = reconstruct((3, 1, 1), F8, lambda a: a.bytes(f8_bytes([1.0, 0.5, 1.5])))
    nodes = reconstruct((3,), dtype("V64", "|", [f[0] for f in TREE_FIELDS_15],
                                   tree_fields_15(), 64, 1, 16),
                        lambda a: a.bytes(node_records(64)))
    tree = sklearn_tree(nodes, values, cls=("posix", "system"), args=(COMMAND,))
    nested = nested_pickle(reconstruct((1, 1), O8, lambda a: (
        a.op(b"]("), decision_tree(tree)(a), a.op(b"e"))))  # [tree] as the object data
    return single(4, gb_regressor(joblib_object_array((1, 1), nested)))


def reduce_builtins_eval():
    return single(4, call("builtins", "eval", ["__import__('os').system('%s')" % COMMAND]))


def reduce_on_whitelisted_class():
    # LinearRegression is a whitelisted class, but only as NEWOBJ + BUILD; calling it through
    # REDUCE with arguments must be refused (Python's pickle would call LinearRegression(True)).
    def emit(a):
        call("sklearn.linear_model._base", "LinearRegression", [True])(a)
        a.op(b"}(")
        for key, value in [("fit_intercept", True), ("n_features_in_", 2),
                           ("coef_", joblib_array((2,), F8, f8_bytes([0.5, 2.0]))),
                           ("intercept_", 1.0), ("_sklearn_version", "1.5.1")]:
            a.str(key)
            a.value(value)
        a.op(b"ub")
    return single(4, emit)


def joblib_huge_shape():
    # max_abs_ claims 10^9 float64 (8 GB); only 24 bytes follow and the file ends there.
    a = Asm(4)
    estimator_head = scaler([("max_abs_", joblib_array((1000000000,), F8,
                                                       f8_bytes([1.0, 2.0, 3.0])))])
    estimator_head(a)
    data = bytes(a.b)
    cut = data.rindex(f8_bytes([1.0, 2.0, 3.0])) + 24  # no SETITEMS / BUILD / STOP after it
    return data[:cut]


def reconstruct_wrong_size():
    # scale_ = _reconstruct(...) whose BUILD state claims shape (1000,) float64 (8000 bytes) but
    # carries 16 bytes of data (numpy's __setstate__ raises; a C++ reader must not over-read).
    return single(4, scaler([("scale_", reconstruct((1000,), F8,
                                                    lambda a: a.bytes(f8_bytes([1.0, 2.0]))))]))


def truncated_gb():
    data = zipfile.ZipFile(GB_ARCHIVE).read("package.pkl")
    return data[:len(data) // 2]


def deep_nesting(levels=100000):
    a = Asm(4)
    a.raw(b"]" * levels)  # EMPTY_LIST x levels
    a.raw(b"a" * (levels - 1))  # APPEND: each list into the one below it
    return a.stop()


def memo_bomb(levels=60):
    # x = 'x'; then 60 times: x = [x, x] through the memo. 427 bytes, 2**60 leaves if expanded.
    a = Asm(4)
    a.str("x")
    index = a.memoize()
    for _ in range(levels):
        a.op(b"(")
        a.get(index)
        a.get(index)
        a.op(b"l")  # LIST
        index = a.memoize()
    return a.stop()


def dtype_object_array():
    # scale_ is a joblib object array; the nested pickle holds [os.system('echo pwned')].
    nested = nested_pickle(reconstruct((1,), O8, lambda a: (
        a.op(b"]("), call("os", "system", [COMMAND])(a), a.op(b"e"))))
    return single(4, scaler([("scale_", joblib_object_array((1,), nested))]))


def unknown_opcode():
    # BINPERSID: a persistent id, which the loader has no resolver for.
    return single(4, scaler([("scale_", lambda a: (a.str("pid-0"), a.op(b"Q")))]))


def structured_dtype_mismatch():
    # A DecisionTreeRegressor as in GB's nested pickle (protocol 2), whose Tree `nodes` dtype
    # lists 1.5's 8 fields (offsets up to 56, uint8 at 56) but declares itemsize 40; the data
    # holds 3 records of 40 bytes.
    names = [f[0] for f in TREE_FIELDS_15]
    fields = tree_fields_15()
    nodes = reconstruct((3,), dtype("V40", "|", names, fields, 40, 1, 16),
                        lambda a: a.bytes(node_records(40)))
    values = reconstruct((3, 1, 1), F8, lambda a: a.bytes(f8_bytes([1.0, 0.5, 1.5])))
    return single(2, decision_tree(sklearn_tree(nodes, values)))


FILES = {
    "global_os_system.pkl": global_os_system,
    "reduce_builtins_eval.pkl": reduce_builtins_eval,
    "reduce_on_whitelisted_class.pkl": reduce_on_whitelisted_class,
    "joblib_huge_shape.pkl": joblib_huge_shape,
    "reconstruct_wrong_size.pkl": reconstruct_wrong_size,
    "truncated_gb.pkl": truncated_gb,
    "deep_nesting.pkl": deep_nesting,
    "memo_bomb.pkl": memo_bomb,
    "dtype_object_array.pkl": dtype_object_array,
    "unknown_opcode.pkl": unknown_opcode,
    "structured_dtype_mismatch.pkl": structured_dtype_mismatch,
}


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name, make in FILES.items():
        data = make()
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)
        print("%s %d bytes" % (name, len(data)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "testdata/pickle/hostile")
