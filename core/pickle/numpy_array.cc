#include "core/pickle/numpy_array.h"

#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/status_macros.h"

namespace kepler::model::core::pickle {
namespace {

using Kind = PickleValue::Kind;

absl::Status Bad(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("numpy: ", what));
}

bool IsCall(const PickleValue& value, absl::string_view name) {
  return value.kind == Kind::kObject && value.callable->text == name;
}

bool IsReconstruct(const PickleValue& value) {
  return IsCall(value, "numpy.core.multiarray._reconstruct") ||
         IsCall(value, "numpy._core.multiarray._reconstruct");
}

bool IsFromBuffer(const PickleValue& value) {
  return IsCall(value, "numpy.core.numeric._frombuffer") ||
         IsCall(value, "numpy._core.numeric._frombuffer");
}

bool IsScalar(const PickleValue& value) {
  return IsCall(value, "numpy.core.multiarray.scalar") ||
         IsCall(value, "numpy._core.multiarray.scalar");
}

bool ValidScalarSize(char kind, int size) {
  switch (kind) {
    case 'b': return size == 1;
    case 'i': case 'u': return size == 1 || size == 2 || size == 4 || size == 8;
    case 'f': return size == 4 || size == 8;
    case 'O': return size == 8;
    default: return false;
  }
}

// The scalar kinds and sizes of a typestr like "f8"; 'V' for void (structured) types.
absl::Status ParseTypestr(absl::string_view typestr, NumpyDtype* out) {
  if (typestr.size() < 2 || typestr.size() > 6) {
    return Bad(absl::StrCat("unsupported dtype ", typestr));
  }
  out->kind = typestr[0];
  if (!absl::SimpleAtoi(typestr.substr(1), &out->itemsize) || out->itemsize <= 0) {
    return Bad(absl::StrCat("unsupported dtype ", typestr));
  }
  if (out->kind != 'V' && !ValidScalarSize(out->kind, out->itemsize)) {
    return Bad(absl::StrCat("unsupported dtype ", typestr));
  }
  return absl::OkStatus();
}

absl::StatusOr<NumpyDtype> ParseDtype(const PickleValue& dtype, bool allow_fields);

absl::Status ParseFields(const PickleValue& names, const PickleValue& fields, NumpyDtype* out) {
  if (names.kind != Kind::kTuple || fields.kind != Kind::kDict || names.items.empty()) {
    return Bad("malformed structured dtype");
  }
  for (const PickleValue* name : names.items) {
    if (name->kind != Kind::kString) return Bad("structured dtype field name is not a string");
    const PickleValue* field = fields.Get(name->text);
    if (field == nullptr || field->kind != Kind::kTuple || field->items.size() < 2) {
      return Bad(absl::StrCat("structured dtype has no field ", name->text));
    }
    // Fields are scalars: a nested record (or a cycle through the memo) is refused unparsed.
    ASSIGN_OR_RETURN(NumpyDtype type, ParseDtype(*field->items[0], /*allow_fields=*/false));
    if (type.kind == 'O') return Bad(absl::StrCat("object field ", name->text, " in a record"));
    const PickleValue& offset_value = *field->items[1];
    const int64_t offset = offset_value.kind == Kind::kInt ? offset_value.integer : -1;
    if (offset < 0 || offset + type.itemsize > out->itemsize) {
      return Bad(absl::StrCat("field ", name->text, " lies outside the record"));
    }
    out->fields.push_back({name->text, type.kind, type.itemsize, type.big_endian,
                           static_cast<size_t>(offset)});
  }
  return absl::OkStatus();
}

// Reads one element of a scalar kind as double or int64.
template <typename T>
T ReadElement(const char* p, char kind, int size, bool big_endian) {
  unsigned char bytes[8];
  std::memcpy(bytes, p, size);
  if (big_endian) {
    for (int i = 0; i < size / 2; ++i) std::swap(bytes[i], bytes[size - 1 - i]);
  }
  switch (kind) {
    case 'f':
      if (size == 4) {
        float f;
        std::memcpy(&f, bytes, 4);
        return static_cast<T>(f);
      } else {
        double d;
        std::memcpy(&d, bytes, 8);
        return static_cast<T>(d);
      }
    case 'b': return static_cast<T>(bytes[0] != 0);
    case 'u': {
      uint64_t u = 0;
      std::memcpy(&u, bytes, size);
      return static_cast<T>(u);
    }
    default: {  // 'i'
      uint64_t u = 0;
      std::memcpy(&u, bytes, size);
      if (size < 8 && (bytes[size - 1] & 0x80)) u |= ~uint64_t{0} << (8 * size);
      return static_cast<T>(static_cast<int64_t>(u));
    }
  }
}

// The byte offset, in `array.data`, of each element in C order, for a Fortran-order array of
// two or more dimensions (C-order element i is simply at i * itemsize).
std::vector<size_t> FortranOffsets(const NumpyArray& array) {
  const size_t n = array.size();
  const size_t item = array.dtype.itemsize;
  std::vector<size_t> offsets(n);
  std::vector<int64_t> index(array.shape.size(), 0);
  for (size_t i = 0; i < n; ++i) {
    size_t offset = 0, stride = 1;
    for (size_t k = 0; k < index.size(); ++k) {
      offset += index[k] * stride;
      stride *= array.shape[k];
    }
    offsets[i] = offset * item;
    for (size_t k = index.size(); k-- > 0;) {  // advance the C-order (last axis fastest) index
      if (++index[k] < array.shape[k]) break;
      index[k] = 0;
    }
  }
  return offsets;
}

template <typename T>
absl::StatusOr<std::vector<T>> Convert(const NumpyArray& array, char kind, int size,
                                       bool big_endian, size_t field_offset) {
  const size_t n = array.size();
  const char* base = array.data.data() + field_offset;
  std::vector<T> out(n);
  if (array.fortran_order && array.shape.size() >= 2) {
    const std::vector<size_t> offsets = FortranOffsets(array);
    for (size_t i = 0; i < n; ++i) out[i] = ReadElement<T>(base + offsets[i], kind, size, big_endian);
  } else {
    for (size_t i = 0; i < n; ++i) {
      out[i] = ReadElement<T>(base + i * array.dtype.itemsize, kind, size, big_endian);
    }
  }
  return out;
}

absl::StatusOr<std::vector<int64_t>> ShapeOf(const PickleValue& tuple) {
  if (tuple.kind != Kind::kTuple) return Bad("array shape is not a tuple");
  std::vector<int64_t> shape;
  for (const PickleValue* dim : tuple.items) {
    if (dim->kind != Kind::kInt || dim->integer < 0) return Bad("malformed array shape");
    shape.push_back(dim->integer);
  }
  return shape;
}

// Element count of `shape` if it is at most `limit`, else -1 (no overflow).
int64_t CountUpTo(const std::vector<int64_t>& shape, uint64_t limit) {
  uint64_t count = 1;
  for (int64_t dim : shape) {
    if (dim == 0) return 0;
  }
  for (int64_t dim : shape) {
    if (static_cast<uint64_t>(dim) > limit / count) return -1;
    count *= dim;
  }
  return static_cast<int64_t>(count);
}

absl::Status CheckSize(const NumpyArray& array) {
  if (array.dtype.kind == 'O') {
    if (CountUpTo(array.shape, array.objects.size()) != static_cast<int64_t>(array.objects.size())) {
      return Bad(absl::StrCat("object array holds ", array.objects.size(),
                              " elements, not what its shape says"));
    }
    return absl::OkStatus();
  }
  const uint64_t bytes = array.data.size();
  const int64_t count = CountUpTo(array.shape, bytes / array.dtype.itemsize);
  if (count < 0 || static_cast<uint64_t>(count) * array.dtype.itemsize != bytes) {
    return Bad(absl::StrCat("array data of ", bytes, " bytes does not match shape (",
                            absl::StrJoin(array.shape, ", "), ") of ", array.dtype.Describe()));
  }
  return absl::OkStatus();
}

// The bytes of `value` as a view: of the value itself, or of its latin-1 decoding kept in
// `array->decoded`.
absl::Status SetData(const PickleValue& value, NumpyArray* array) {
  if (value.kind == Kind::kBytes) {
    array->data = value.text;
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::string bytes, BytesOf(value));
  array->decoded = std::make_shared<const std::string>(std::move(bytes));
  array->data = *array->decoded;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<const PickleValue*>> ObjectsOf(const PickleValue& data) {
  if (data.kind != Kind::kList) return Bad("object array data is not a list");
  return data.items;
}

// numpy.core.multiarray._reconstruct(ndarray, (0,), b'b') with BUILD state
// (version, shape, dtype, is_fortran, data).
absl::StatusOr<NumpyArray> ReconstructedArray(const PickleValue& value) {
  const PickleValue* state = value.state;
  if (state == nullptr || state->kind != Kind::kTuple || state->items.size() != 5) {
    return Bad("malformed ndarray state");
  }
  NumpyArray array;
  ASSIGN_OR_RETURN(array.shape, ShapeOf(*state->items[1]));
  ASSIGN_OR_RETURN(array.dtype, ParseNumpyDtype(*state->items[2]));
  if (state->items[3]->kind != Kind::kBool) return Bad("malformed ndarray order flag");
  array.fortran_order = state->items[3]->boolean;
  if (array.dtype.kind == 'O') {
    ASSIGN_OR_RETURN(array.objects, ObjectsOf(*state->items[4]));
  } else {
    RETURN_IF_ERROR(SetData(*state->items[4], &array));
  }
  return array;
}

// numpy.core.numeric._frombuffer(buffer, dtype, shape, order): protocol 5 in-band arrays.
absl::StatusOr<NumpyArray> FromBufferArray(const PickleValue& value) {
  const auto& args = value.args->items;
  if (args.size() != 4 || args[3]->kind != Kind::kString) {
    return Bad("malformed _frombuffer arguments");
  }
  NumpyArray array;
  RETURN_IF_ERROR(SetData(*args[0], &array));
  ASSIGN_OR_RETURN(array.dtype, ParseNumpyDtype(*args[1]));
  if (array.dtype.kind == 'O') return Bad("object array in a buffer");
  ASSIGN_OR_RETURN(array.shape, ShapeOf(*args[2]));
  array.fortran_order = args[3]->text == "F";
  return array;
}

absl::StatusOr<NumpyArray> JoblibArray(const PickleValue& value) {
  NumpyArray array;
  ASSIGN_OR_RETURN(array.dtype, ParseNumpyDtype(*value.state->Get("dtype")));
  ASSIGN_OR_RETURN(array.shape, ShapeOf(*value.state->Get("shape")));
  array.fortran_order = value.state->Get("order")->text == "F";
  if (array.dtype.kind != 'O') {
    array.data = value.text;
    return array;
  }
  // The nested pickle holds the object array as a plain numpy reduction.
  if (value.args == nullptr || !IsReconstruct(*value.args)) {
    return Bad("joblib object array is not a pickled ndarray");
  }
  ASSIGN_OR_RETURN(NumpyArray nested, ReconstructedArray(*value.args));
  if (nested.dtype.kind != 'O' || nested.shape != array.shape) {
    return Bad("joblib object array does not match its wrapper");
  }
  array.objects = std::move(nested.objects);
  return array;
}

absl::StatusOr<std::string> Latin1Bytes(const std::string& utf8) {
  std::string out;
  out.reserve(utf8.size());
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

}  // namespace

std::string NumpyDtype::Describe() const {
  const auto one = [](char kind, int size, bool big) {
    return absl::StrCat(kind == 'b' || kind == 'O' || size == 1 ? "|" : big ? ">" : "<",
                        std::string(1, kind), size);
  };
  if (kind != 'V') return one(kind, itemsize, big_endian);
  std::vector<std::string> parts;
  for (const Field& f : fields) {
    parts.push_back(absl::StrCat(f.name, ":", one(f.kind, f.itemsize, f.big_endian), "@", f.offset));
  }
  return absl::StrCat("V", itemsize, "{", absl::StrJoin(parts, ","), "}");
}

int64_t NumpyArray::size() const {
  int64_t n = 1;
  for (int64_t dim : shape) n *= dim;  // checked against the data when the array was read
  return n;
}

absl::StatusOr<NumpyDtype> ParseNumpyDtype(const PickleValue& dtype) {
  return ParseDtype(dtype, /*allow_fields=*/true);
}

namespace {

absl::StatusOr<NumpyDtype> ParseDtype(const PickleValue& dtype, bool allow_fields) {
  if (!IsCall(dtype, "numpy.dtype") || dtype.args->items.empty() ||
      dtype.args->items[0]->kind != Kind::kString) {
    return Bad("malformed dtype");
  }
  NumpyDtype out;
  RETURN_IF_ERROR(ParseTypestr(dtype.args->items[0]->text, &out));
  const PickleValue* state = dtype.state;
  if (state == nullptr) {
    if (out.kind == 'V') return Bad("structured dtype without fields");
    return out;
  }
  if (state->kind != Kind::kTuple || state->items.size() < 8 ||
      state->items[1]->kind != Kind::kString) {
    return Bad("malformed dtype state");
  }
  const std::string& order = state->items[1]->text;
  if (order != "<" && order != ">" && order != "|" && order != "=") {
    return Bad(absl::StrCat("unknown dtype byte order ", order));
  }
  out.big_endian = order == ">";
  if (state->items[2]->kind != Kind::kNone) return Bad("sub-array dtypes are not supported");
  if (out.kind != 'V') return out;
  if (!allow_fields) return Bad("nested record in a structured dtype");
  const int64_t elsize = state->items[5]->kind == Kind::kInt ? state->items[5]->integer : -1;
  if (elsize > 0) {
    if (elsize > 4096) return Bad(absl::StrCat("record of ", elsize, " bytes"));
    out.itemsize = static_cast<int>(elsize);
  }
  RETURN_IF_ERROR(ParseFields(*state->items[3], *state->items[4], &out));
  return out;
}

}  // namespace

absl::StatusOr<NumpyArray> ArrayOf(const PickleValue& value) {
  NumpyArray array;
  if (value.kind == Kind::kJoblibArray) {
    ASSIGN_OR_RETURN(array, JoblibArray(value));
  } else if (IsReconstruct(value)) {
    ASSIGN_OR_RETURN(array, ReconstructedArray(value));
  } else if (IsFromBuffer(value)) {
    ASSIGN_OR_RETURN(array, FromBufferArray(value));
  } else {
    return Bad("expected a numpy array");
  }
  RETURN_IF_ERROR(CheckSize(array));
  return array;
}

absl::StatusOr<std::vector<double>> ToDoubles(const NumpyArray& array) {
  if (array.dtype.kind == 'O' || array.dtype.kind == 'V') {
    return Bad(absl::StrCat("expected a numeric array, got ", array.dtype.Describe()));
  }
  return Convert<double>(array, array.dtype.kind, array.dtype.itemsize, array.dtype.big_endian, 0);
}

absl::StatusOr<std::vector<int64_t>> ToInt64s(const NumpyArray& array) {
  const char kind = array.dtype.kind;
  if (kind != 'i' && kind != 'u' && kind != 'b') {
    return Bad(absl::StrCat("expected an integer array, got ", array.dtype.Describe()));
  }
  return Convert<int64_t>(array, kind, array.dtype.itemsize, array.dtype.big_endian, 0);
}

bool HasField(const NumpyArray& array, absl::string_view name) {
  for (const NumpyDtype::Field& f : array.dtype.fields) {
    if (f.name == name) return true;
  }
  return false;
}

absl::StatusOr<std::vector<double>> FieldDoubles(const NumpyArray& array, absl::string_view name) {
  for (const NumpyDtype::Field& f : array.dtype.fields) {
    if (f.name == name) return Convert<double>(array, f.kind, f.itemsize, f.big_endian, f.offset);
  }
  return Bad(absl::StrCat("record ", array.dtype.Describe(), " has no field ", name));
}

absl::StatusOr<std::vector<int64_t>> FieldInt64s(const NumpyArray& array, absl::string_view name) {
  for (const NumpyDtype::Field& f : array.dtype.fields) {
    if (f.name != name) continue;
    if (f.kind != 'i' && f.kind != 'u' && f.kind != 'b') {
      return Bad(absl::StrCat("field ", name, " is not an integer"));
    }
    return Convert<int64_t>(array, f.kind, f.itemsize, f.big_endian, f.offset);
  }
  return Bad(absl::StrCat("record ", array.dtype.Describe(), " has no field ", name));
}

absl::StatusOr<int64_t> IntegerOf(const PickleValue& value) {
  if (value.kind == Kind::kInt || value.kind == Kind::kBool) return value.integer;
  if (IsScalar(value) && value.args->items.size() == 2) {
    ASSIGN_OR_RETURN(NumpyDtype dtype, ParseNumpyDtype(*value.args->items[0]));
    ASSIGN_OR_RETURN(std::string data, BytesOf(*value.args->items[1]));
    if ((dtype.kind == 'i' || dtype.kind == 'u' || dtype.kind == 'b') &&
        data.size() == static_cast<size_t>(dtype.itemsize)) {
      return ReadElement<int64_t>(data.data(), dtype.kind, dtype.itemsize, dtype.big_endian);
    }
  }
  return Bad("expected an integer");
}

absl::StatusOr<double> NumberOf(const PickleValue& value) {
  if (value.kind == Kind::kFloat) return value.number;
  if (value.kind == Kind::kInt || value.kind == Kind::kBool) {
    return static_cast<double>(value.integer);
  }
  if (IsScalar(value) && value.args->items.size() == 2) {
    ASSIGN_OR_RETURN(NumpyDtype dtype, ParseNumpyDtype(*value.args->items[0]));
    ASSIGN_OR_RETURN(std::string data, BytesOf(*value.args->items[1]));
    if (dtype.kind != 'O' && dtype.kind != 'V' &&
        data.size() == static_cast<size_t>(dtype.itemsize)) {
      return ReadElement<double>(data.data(), dtype.kind, dtype.itemsize, dtype.big_endian);
    }
  }
  return Bad("expected a number");
}

absl::StatusOr<std::string> BytesOf(const PickleValue& value) {
  if (value.kind == Kind::kBytes) return value.text;
  if (!IsCall(value, "_codecs.encode")) return Bad("expected bytes");
  const auto& args = value.args->items;
  if (args.size() != 2 || args[0]->kind != Kind::kString || args[1]->kind != Kind::kString ||
      (args[1]->text != "latin1" && args[1]->text != "latin-1")) {
    return Bad("expected bytes");
  }
  return Latin1Bytes(args[0]->text);
}

}  // namespace kepler::model::core::pickle
