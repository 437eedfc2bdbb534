// A strictly whitelisted reader of Python pickles that executes nothing.
//
// What: turns pickle bytes (protocols 2-5) into a tree of inert values: None, bool, int, float,
// str, bytes, tuple, list, dict, global references, and "objects" that merely record the callable
// and arguments a real unpickler would have called (REDUCE, NEWOBJ) and the state it would have
// set (BUILD). joblib's NumpyArrayWrapper (how sklearn models are dumped with joblib) is
// understood: its raw array bytes, which follow the pickle opcodes in the stream, become an
// Array value.
// Why: published models carry a scikit-learn MaxAbsScaler as `scaler.pkl`. Unpickling untrusted
// files runs arbitrary code; this reader only copies data, refuses every opcode and global it does
// not know (InvalidArgument "unsupported pickle opcode ..." / "unsupported pickle global ..."),
// and bounds input size, memo and nesting, so hostile bytes cost at most a rejected load.
// How: call ParsePickle() with the globals the caller is prepared to interpret, then walk the
// tree from root(). Values live in the PickleTree's arena, so shared or even cyclic references
// (possible through the memo) never leak or recurse; walkers follow only paths they expect.
//
// Thread-safety: ParsePickle is reentrant; a PickleTree is immutable after parsing.
#ifndef KEPLER_CORE_INTERNAL_PICKLE_READER_H_
#define KEPLER_CORE_INTERNAL_PICKLE_READER_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kepler::model::core::internal {

struct PickleValue {
  enum class Kind { kNone, kBool, kInt, kFloat, kString, kBytes, kTuple, kList, kDict, kGlobal,
                    kObject, kArray };
  Kind kind = Kind::kNone;
  bool boolean = false;
  int64_t integer = 0;
  double number = 0;
  // kString: UTF-8 text; kBytes: the bytes; kGlobal: "module.name"; kArray: raw element bytes.
  std::string text;
  // kTuple, kList: the elements; kDict: keys and values alternating.
  std::vector<const PickleValue*> items;
  // kObject: what would have been called with which arguments, and the BUILD state (or null).
  const PickleValue* callable = nullptr;
  const PickleValue* args = nullptr;
  const PickleValue* state = nullptr;
  // kArray (joblib NumpyArrayWrapper): numpy dtype string with byte order ("<f8"), shape, order.
  std::string dtype;
  std::vector<int64_t> shape;
  bool fortran_order = false;

  // Value of `key` in a kDict with string keys (the last one, as a dict keeps); null otherwise.
  const PickleValue* Get(absl::string_view key) const;
  // Whether this is a kGlobal naming `qualified` ("numpy.dtype").
  bool IsGlobal(absl::string_view qualified) const;
};

// Owns every value of one parsed pickle.
class PickleTree {
 public:
  const PickleValue& root() const { return *root_; }

 private:
  friend class PickleMachine;
  std::deque<PickleValue> arena_;
  const PickleValue* root_ = nullptr;
};

struct PickleOptions {
  // Globals ("module.name") the pickle may reference; any other is rejected.
  absl::flat_hash_set<std::string> allowed_globals;
  // Largest input accepted, in bytes.
  size_t max_bytes = 1 << 20;
  // Most values, and most memo entries, one pickle may create (a scaler needs about 60). Each
  // value costs ~200 bytes however few input bytes made it: 1 MB of EMPTY_TUPLE opcodes would
  // otherwise take ~180 MB.
  size_t max_values = 10000;
};

// The dtype string ("<f8") of a numpy.dtype object value (REDUCE of numpy.dtype('f8', ...) with
// its BUILD state giving the byte order; '=' is read as '<'). InvalidArgument for anything else or
// for kinds other than float, int, unsigned and bool.
absl::StatusOr<std::string> NumpyDtype(const PickleValue& dtype);

// Bytes per element of a dtype string ("<f8" -> 8); -1 when it has no valid size.
int NumpyItemSize(absl::string_view dtype);

// Parses `bytes` into inert values. InvalidArgument for truncated or malformed input, an opcode
// outside the supported set, a global outside options.allowed_globals, or oversized input.
[[nodiscard]] absl::StatusOr<std::unique_ptr<PickleTree>> ParsePickle(
    absl::string_view bytes, const PickleOptions& options);

}  // namespace kepler::model::core::internal

#endif  // KEPLER_CORE_INTERNAL_PICKLE_READER_H_
