// numpy dtypes, arrays and scalars, read from the inert values of core/pickle/pickle_machine.h.
//
// What: ParseNumpyDtype reads a pickled numpy.dtype (REDUCE numpy.dtype('f8', False, True) plus
// its BUILD state: byte order, field names, fields with offsets, item size), including structured
// dtypes such as scikit-learn's tree node records. ArrayOf reads an array in any of the forms
// pickles carry: joblib's NumpyArrayWrapper (raw bytes after the opcodes, or a nested pickle for
// object arrays), numpy's `_reconstruct` + BUILD (protocols 2-4, data as bytes, as
// `_codecs.encode(text, 'latin1')`, or a list for object arrays), and `_frombuffer` (protocol 5).
// The readers convert to C-order vectors of doubles or int64 (any numeric dtype of either byte
// order), pick one field of a structured array, and read numpy scalars.
// Why: every fitted scikit-learn attribute is a numpy array or scalar; checking dtype, shape and
// size here once means each estimator reader asks for "a 2-D float array" and gets a clear error
// otherwise (wrong sizes, a billion-element shape over a few bytes, an unknown dtype).
// How: call ArrayOf on an attribute's value, then ToDoubles / ToInt64s / FieldDoubles.
//
// Thread-safety: stateless functions over immutable values.
#ifndef KEPLER_CORE_PICKLE_NUMPY_ARRAY_H_
#define KEPLER_CORE_PICKLE_NUMPY_ARRAY_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/pickle/pickle_machine.h"

namespace kepler::model::core::pickle {

// A numpy dtype: one of the scalar kinds b (bool), i, u, f, O (object), or V (structured, with
// fields of scalar kinds).
struct NumpyDtype {
  struct Field {
    std::string name;
    char kind = 0;
    int itemsize = 0;
    bool big_endian = false;
    size_t offset = 0;
  };
  char kind = 0;
  int itemsize = 0;
  bool big_endian = false;
  std::vector<Field> fields;  // kind 'V' only, in declaration order

  // "<f8", "|b1", "|O8" or "V64{left_child:<i8@0,...}" for messages.
  std::string Describe() const;
};

// The dtype a numpy.dtype object value describes. InvalidArgument for other values, kinds other
// than the above (datetimes, strings, complex), sub-arrays, nested structures, or fields that do
// not fit the item size.
absl::StatusOr<NumpyDtype> ParseNumpyDtype(const PickleValue& dtype);

// An array: `data` views the raw element bytes (non-object dtypes) in `fortran_order` or C
// order, inside the PickleTree (which must outlive it) or inside `decoded` (bytes a protocol 2
// pickle spelled as latin-1 text); `objects` holds the elements of object arrays in C order.
struct NumpyArray {
  NumpyDtype dtype;
  std::vector<int64_t> shape;
  bool fortran_order = false;
  absl::string_view data;
  std::shared_ptr<const std::string> decoded;
  std::vector<const PickleValue*> objects;

  // Number of elements (the product of shape).
  int64_t size() const;
};

// The array `value` holds, with data size checked against shape and dtype.
absl::StatusOr<NumpyArray> ArrayOf(const PickleValue& value);

// The elements converted to double in C order; numeric dtypes only (b, i, u, f).
absl::StatusOr<std::vector<double>> ToDoubles(const NumpyArray& array);
// The elements converted to int64 in C order; integer and bool dtypes only.
absl::StatusOr<std::vector<int64_t>> ToInt64s(const NumpyArray& array);
// One field of a structured array, per element in C order.
absl::StatusOr<std::vector<double>> FieldDoubles(const NumpyArray& array, absl::string_view name);
absl::StatusOr<std::vector<int64_t>> FieldInt64s(const NumpyArray& array, absl::string_view name);
// Whether a structured array has the field.
bool HasField(const NumpyArray& array, absl::string_view name);

// A Python int or bool, or a numpy integer scalar.
absl::StatusOr<int64_t> IntegerOf(const PickleValue& value);
// A Python float or int, or a numpy numeric scalar.
absl::StatusOr<double> NumberOf(const PickleValue& value);
// bytes, or `_codecs.encode(text, 'latin1')` (how protocol 2 pickles bytes).
absl::StatusOr<std::string> BytesOf(const PickleValue& value);

}  // namespace kepler::model::core::pickle

#endif  // KEPLER_CORE_PICKLE_NUMPY_ARRAY_H_
