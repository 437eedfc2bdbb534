#include "core/pickle_scaler.h"

#include <cmath>
#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/internal/pickle_reader.h"
#include "core/status_macros.h"

namespace kepler::model::core {
namespace {

using internal::PickleValue;
using Kind = PickleValue::Kind;

const internal::PickleOptions& Options() {
  static const auto* options = new internal::PickleOptions{{
      "sklearn.preprocessing._data.MaxAbsScaler",
      "sklearn.preprocessing.data.MaxAbsScaler",
      "joblib.numpy_pickle.NumpyArrayWrapper",
      "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper",
      "numpy.ndarray",
      "numpy.dtype",
      "numpy.core.multiarray._reconstruct",
      "numpy._core.multiarray._reconstruct",
      "numpy.core.multiarray.scalar",
      "numpy._core.multiarray.scalar",
      "numpy.core.numeric._frombuffer",
      "numpy._core.numeric._frombuffer",
      "copyreg._reconstructor",
      "copy_reg._reconstructor",
      "_codecs.encode",
      "builtins.object",
      "__builtin__.object",
  }};
  return *options;
}

absl::Status Bad(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("scaler pickle: ", what));
}

bool IsOneOf(const PickleValue* global, std::initializer_list<absl::string_view> names) {
  for (absl::string_view name : names) {
    if (global != nullptr && global->IsGlobal(name)) return true;
  }
  return false;
}

// The class an object value instantiates: the NEWOBJ class, or copyreg._reconstructor's first
// argument (protocols 0-1 style).
const PickleValue* ClassOf(const PickleValue& value) {
  if (value.kind != Kind::kObject) return nullptr;
  if (IsOneOf(value.callable, {"copyreg._reconstructor", "copy_reg._reconstructor"})) {
    return value.args->items.empty() ? nullptr : value.args->items[0];
  }
  return value.callable;
}

// Bytes of a bytes value, or of _codecs.encode(text, "latin1"), how protocol 2 pickles bytes.
absl::StatusOr<std::string> BytesOf(const PickleValue& value) {
  if (value.kind == Kind::kBytes) return value.text;
  if (value.kind != Kind::kObject || !value.callable->IsGlobal("_codecs.encode")) {
    return Bad("expected bytes");
  }
  const auto& args = value.args->items;
  if (args.size() != 2 || args[0]->kind != Kind::kString || args[1]->kind != Kind::kString ||
      (args[1]->text != "latin1" && args[1]->text != "latin-1")) {
    return Bad("expected bytes");
  }
  std::string out;
  const std::string& utf8 = args[0]->text;
  for (size_t i = 0; i < utf8.size(); ++i) {  // code points below 256: 1 or 2 UTF-8 bytes
    const auto c = static_cast<uint8_t>(utf8[i]);
    if (c < 0x80) {
      out.push_back(c);
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < utf8.size()) {
      out.push_back(static_cast<char>(((c & 0x03) << 6) | (utf8[++i] & 0x3F)));
    } else {
      return Bad("latin1 text out of range");
    }
  }
  return out;
}

struct Array {
  std::string dtype;
  std::vector<int64_t> shape;
  std::string data;
};

absl::StatusOr<std::vector<int64_t>> ShapeOf(const PickleValue& tuple) {
  if (tuple.kind != Kind::kTuple) return Bad("array shape is not a tuple");
  std::vector<int64_t> shape;
  for (const PickleValue* dim : tuple.items) {
    if (dim->kind != Kind::kInt || dim->integer < 0) return Bad("malformed array shape");
    shape.push_back(dim->integer);
  }
  return shape;
}

// numpy.core.multiarray._reconstruct(ndarray, (0,), b'b') with BUILD state
// (version, shape, dtype, is_fortran, data).
absl::StatusOr<Array> ReconstructedArray(const PickleValue& value) {
  const PickleValue* state = value.state;
  if (state == nullptr || state->kind != Kind::kTuple || state->items.size() != 5) {
    return Bad("malformed ndarray state");
  }
  Array array;
  ASSIGN_OR_RETURN(array.shape, ShapeOf(*state->items[1]));
  ASSIGN_OR_RETURN(array.dtype, internal::NumpyDtype(*state->items[2]));
  ASSIGN_OR_RETURN(array.data, BytesOf(*state->items[4]));
  return array;
}

// numpy.core.numeric._frombuffer(buffer, dtype, shape, order): protocol 5 in-band arrays.
absl::StatusOr<Array> FromBufferArray(const PickleValue& value) {
  const auto& args = value.args->items;
  if (args.size() != 4) return Bad("malformed _frombuffer arguments");
  Array array;
  ASSIGN_OR_RETURN(array.data, BytesOf(*args[0]));
  ASSIGN_OR_RETURN(array.dtype, internal::NumpyDtype(*args[1]));
  ASSIGN_OR_RETURN(array.shape, ShapeOf(*args[2]));
  return array;
}

absl::StatusOr<Array> ArrayOf(const PickleValue& value) {
  Array array;
  if (value.kind == Kind::kArray) {
    array = {value.dtype, value.shape, value.text};
  } else if (value.kind == Kind::kObject &&
             IsOneOf(value.callable, {"numpy.core.multiarray._reconstruct",
                                      "numpy._core.multiarray._reconstruct"})) {
    ASSIGN_OR_RETURN(array, ReconstructedArray(value));
  } else if (value.kind == Kind::kObject &&
             IsOneOf(value.callable,
                     {"numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer"})) {
    ASSIGN_OR_RETURN(array, FromBufferArray(value));
  } else {
    return Bad("expected a numpy array");
  }
  // Multiply without overflow: no product can exceed the data size and still match it.
  const uint64_t size = array.data.size();
  uint64_t bytes = internal::NumpyItemSize(array.dtype);
  for (int64_t dim : array.shape) {
    if (dim == 0) bytes = 0;
    if (bytes > 0 && static_cast<uint64_t>(dim) > size / bytes) {
      return Bad("array data does not match its shape");
    }
    bytes *= dim;
  }
  if (bytes != size) return Bad("array data does not match its shape");
  return array;
}

absl::StatusOr<int64_t> IntOf(const PickleValue& value) {
  if (value.kind == Kind::kInt) return value.integer;
  if (value.kind == Kind::kObject && value.args->items.size() == 2 &&
      IsOneOf(value.callable, {"numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar"})) {
    ASSIGN_OR_RETURN(std::string dtype, internal::NumpyDtype(*value.args->items[0]));
    ASSIGN_OR_RETURN(std::string data, BytesOf(*value.args->items[1]));
    if (dtype == "<i8" && data.size() == 8) {
      int64_t out;
      std::memcpy(&out, data.data(), sizeof(out));
      return out;
    }
  }
  return Bad("expected an integer");
}

absl::StatusOr<std::vector<double>> ScaleOf(const PickleValue& value) {
  ASSIGN_OR_RETURN(Array array, ArrayOf(value));
  if (array.dtype != "<f8" || array.shape.size() != 1) {
    return Bad(absl::StrCat("scale_ must be a 1-D float64 array, got ", array.dtype));
  }
  // A scaler fitted on no features cannot scale anything (and an empty vector has no data()).
  if (array.shape[0] == 0) return Bad("scale_ is empty");
  std::vector<double> scale(array.shape[0]);
  std::memcpy(scale.data(), array.data.data(), array.data.size());
  for (double s : scale) {
    if (!std::isfinite(s) || s <= 0) return Bad(absl::StrCat("invalid scale ", s));
  }
  return scale;
}

}  // namespace

absl::StatusOr<MaxAbsScale> ReadMaxAbsScalerPickle(absl::string_view pickle_bytes) {
  ASSIGN_OR_RETURN(auto tree, internal::ParsePickle(pickle_bytes, Options()));
  const PickleValue& root = tree->root();
  if (!IsOneOf(ClassOf(root), {"sklearn.preprocessing._data.MaxAbsScaler",
                               "sklearn.preprocessing.data.MaxAbsScaler"})) {
    return Bad("not a MaxAbsScaler");
  }
  if (root.state == nullptr || root.state->kind != Kind::kDict) return Bad("no fitted state");
  const PickleValue* scale = root.state->Get("scale_");
  if (scale == nullptr) return Bad("no scale_ (scaler not fitted)");
  MaxAbsScale out;
  ASSIGN_OR_RETURN(out.scale, ScaleOf(*scale));
  out.n_features_in = static_cast<int64_t>(out.scale.size());
  if (const PickleValue* n = root.state->Get("n_features_in_")) {
    ASSIGN_OR_RETURN(out.n_features_in, IntOf(*n));
    if (out.n_features_in != static_cast<int64_t>(out.scale.size())) {
      return Bad("n_features_in_ does not match scale_");
    }
  }
  return out;
}

}  // namespace kepler::model::core
