// A pickle machine that executes nothing: Python pickles (protocols 2-5) become inert values.
//
// What: ParsePickle turns pickle bytes into a graph of plain values: None, bool, int (and ints
// wider than 64 bits, kept as bytes), float, str, bytes, tuple, list, set, dict, references to
// globals, and "objects" that merely record which global a real unpickler would have called
// (REDUCE or NEWOBJ), with which arguments, and the state it would have set (BUILD). joblib's
// format is understood: after a `NumpyArrayWrapper` the raw array bytes follow the opcodes in
// the stream (an optional alignment padding, then shape x itemsize bytes) and become an array
// value; for object arrays a nested pickle follows, whose root becomes the array value.
// Why: published power models are joblib pickles of scikit-learn estimators. Loading untrusted
// pickles with Python runs arbitrary code; this machine only copies data. Every global must be
// on the caller's whitelist of exact "module.name" pairs with the uses it allows (a value, a
// class built by NEWOBJ, a constructor called by REDUCE); any other global, use, opcode or shape
// is InvalidArgument naming it and the byte offset.
// How: ParsePickle(bytes, options) and walk the graph from root(). Values live in the tree's
// arena, so shared and even cyclic references (possible through the memo) never leak; walkers
// follow only the paths they expect and never recurse over arbitrary values.
// Bounds (PickleOptions): input bytes, values created (each costs ~150 bytes whatever input made
// it), bytes copied into values, stack depth and open marks, nested joblib pickles.
//
// Thread-safety: ParsePickle is reentrant; a PickleTree is immutable after parsing.
#ifndef KEPLER_CORE_PICKLE_PICKLE_MACHINE_H_
#define KEPLER_CORE_PICKLE_PICKLE_MACHINE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kepler::model::core::pickle {

struct PickleValue {
  enum class Kind {
    kNone, kBool, kInt, kBigInt, kFloat, kString, kBytes, kTuple, kList, kSet, kDict, kGlobal,
    kObject, kJoblibArray
  };
  // How an object came to be.
  enum class Call { kReduce, kNewObj };

  Kind kind = Kind::kNone;
  bool boolean = false;
  int64_t integer = 0;
  double number = 0;
  // kString: UTF-8 text; kBytes: the bytes; kBigInt: little-endian two's complement bytes;
  // kGlobal: "module.name"; kJoblibArray: the raw element bytes (empty for object arrays).
  std::string text;
  // kTuple, kList, kSet: the elements; kDict: keys and values alternating.
  std::vector<const PickleValue*> items;
  // kObject: what would have been called, how, with which arguments, and the BUILD state (or
  // null). kJoblibArray: `state` is the NumpyArrayWrapper's state dict (dtype, shape, order) and,
  // for object arrays, `args` is the nested pickle's root.
  const PickleValue* callable = nullptr;
  const PickleValue* args = nullptr;
  const PickleValue* state = nullptr;
  Call call = Call::kReduce;

  // Value of `key` in a kDict with string keys (the last one, as a dict keeps); null otherwise.
  const PickleValue* Get(absl::string_view key) const;
  // Whether this is a kGlobal naming `qualified` ("numpy.dtype").
  bool IsGlobal(absl::string_view qualified) const;
  // For a kObject: the "module.name" of its callable; empty otherwise.
  absl::string_view CallableName() const;
};

// Uses of a whitelisted global (bit flags).
enum GlobalUse : uint8_t {
  kAsValue = 1,   // may be referenced (e.g. passed as an argument or stored as an attribute)
  kNewObj = 2,    // may be instantiated by NEWOBJ / NEWOBJ_EX (cls.__new__(cls, *args))
  kReduce = 4,    // may be called by REDUCE (a constructor function of plain data)
};

struct PickleOptions {
  // Globals ("module.name") the pickle may reference, with the uses allowed.
  absl::flat_hash_map<std::string, uint8_t> allowed_globals;
  // Largest input accepted, in bytes.
  size_t max_bytes = 1 << 20;
  // Most values one pickle may create (and most memo entries).
  size_t max_values = 10000;
  // Most bytes copied into string, bytes and array values, in all.
  size_t max_value_bytes = 1 << 20;
  // Deepest stack and most open marks.
  size_t max_stack = 10000;
  // Most joblib object arrays (nested pickles) inside one another.
  int max_nested_pickles = 4;
};

// Owns every value of one parsed pickle.
class PickleTree {
 public:
  const PickleValue& root() const { return *root_; }
  // Number of values created, for sizing limits.
  size_t value_count() const { return arena_.size(); }

 private:
  friend class PickleMachine;
  std::deque<PickleValue> arena_;
  const PickleValue* root_ = nullptr;
};

// Parses `bytes` into inert values. InvalidArgument for truncated or malformed input, an opcode
// outside the supported set, a global or a use of it outside options.allowed_globals, or input
// beyond a limit (ResourceExhausted is not used: an oversized pickle is a bad input).
[[nodiscard]] absl::StatusOr<std::unique_ptr<PickleTree>> ParsePickle(
    absl::string_view bytes, const PickleOptions& options);

}  // namespace kepler::model::core::pickle

#endif  // KEPLER_CORE_PICKLE_PICKLE_MACHINE_H_
