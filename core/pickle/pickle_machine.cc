#include "core/pickle/pickle_machine.h"

#include <cstring>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/pickle/numpy_array.h"
#include "core/status_macros.h"

namespace kepler::model::core::pickle {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "pickle integers are little-endian");

using Kind = PickleValue::Kind;

const PickleValue* PickleValue::Get(absl::string_view key) const {
  if (kind != Kind::kDict) return nullptr;
  const PickleValue* found = nullptr;
  for (size_t i = 0; i + 1 < items.size(); i += 2) {
    if (items[i]->kind == Kind::kString && items[i]->text == key) found = items[i + 1];
  }
  return found;
}

bool PickleValue::IsGlobal(absl::string_view qualified) const {
  return kind == Kind::kGlobal && text == qualified;
}

absl::string_view PickleValue::CallableName() const {
  return kind == Kind::kObject ? absl::string_view(callable->text) : absl::string_view();
}

class PickleMachine {
 public:
  PickleMachine(absl::string_view in, const PickleOptions& options)
      : in_(in), options_(options), tree_(std::make_unique<PickleTree>()) {}

  absl::StatusOr<std::unique_ptr<PickleTree>> Run() {
    if (in_.size() > options_.max_bytes) {
      return Error(absl::StrCat("input of ", in_.size(), " bytes is over the limit of ",
                                options_.max_bytes));
    }
    ASSIGN_OR_RETURN(tree_->root_, RunToStop());
    return std::move(tree_);
  }

 private:
  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat("pickle: ", what, " at offset ", pos_));
  }

  // Executes opcodes until STOP; returns what STOP popped.
  absl::StatusOr<PickleValue*> RunToStop() {
    PickleValue* root = nullptr;
    while (root == nullptr) {
      ASSIGN_OR_RETURN(uint64_t op, TakeUint(1));
      RETURN_IF_ERROR(Step(static_cast<uint8_t>(op), &root));
      if (tree_->arena_.size() > options_.max_values || memo_.size() > options_.max_values) {
        return Error(absl::StrCat("more than ", options_.max_values, " values"));
      }
      if (stack_.size() > options_.max_stack || marks_.size() > options_.max_stack) {
        return Error(absl::StrCat("nesting deeper than ", options_.max_stack));
      }
    }
    return root;
  }

  // ---- input ----
  absl::StatusOr<absl::string_view> Take(uint64_t n) {
    if (n > in_.size() - pos_) return Error("truncated input");
    absl::string_view out = in_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  absl::StatusOr<uint64_t> TakeUint(int bytes) {
    ASSIGN_OR_RETURN(absl::string_view raw, Take(bytes));
    uint64_t value = 0;
    std::memcpy(&value, raw.data(), bytes);
    return value;
  }
  absl::StatusOr<absl::string_view> TakeLine() {
    const size_t end = in_.find('\n', pos_);
    if (end == absl::string_view::npos) return Error("truncated input");
    ASSIGN_OR_RETURN(absl::string_view line, Take(end - pos_));
    ++pos_;
    return line;
  }

  // ---- values and stack ----
  PickleValue* New(Kind kind) {
    tree_->arena_.emplace_back();
    tree_->arena_.back().kind = kind;
    return &tree_->arena_.back();
  }
  absl::Status ChargeBytes(size_t n) {
    if (n > options_.max_value_bytes - value_bytes_) {
      return Error(absl::StrCat("more than ", options_.max_value_bytes, " bytes of values"));
    }
    value_bytes_ += n;
    return absl::OkStatus();
  }
  absl::Status Push(PickleValue* value) {
    stack_.push_back(value);
    return absl::OkStatus();
  }
  absl::StatusOr<PickleValue*> Pop() {
    if (stack_.empty() || (!marks_.empty() && stack_.size() == marks_.back())) {
      return Error("stack underflow");
    }
    PickleValue* top = stack_.back();
    stack_.pop_back();
    return top;
  }
  absl::StatusOr<PickleValue*> Top(Kind kind) {
    if (stack_.empty() || stack_.back()->kind != kind ||
        (!marks_.empty() && stack_.size() == marks_.back())) {
      return Error("unexpected value on stack");
    }
    return stack_.back();
  }
  absl::StatusOr<std::vector<const PickleValue*>> PopToMark() {
    if (marks_.empty()) return Error("no mark");
    std::vector<const PickleValue*> items(stack_.begin() + marks_.back(), stack_.end());
    stack_.resize(marks_.back());
    marks_.pop_back();
    return items;
  }
  absl::StatusOr<PickleValue*> PopTuple(size_t n) {
    PickleValue* tuple = New(Kind::kTuple);
    tuple->items.resize(n);
    for (size_t i = n; i > 0; --i) {
      ASSIGN_OR_RETURN(tuple->items[i - 1], Pop());
    }
    return tuple;
  }
  absl::StatusOr<std::string> PopString() {
    ASSIGN_OR_RETURN(PickleValue * value, Pop());
    if (value->kind != Kind::kString) return Error("expected a string");
    return value->text;
  }

  // ---- opcodes ----
  absl::Status Step(uint8_t op, PickleValue** root);
  absl::Status PushScalar(Kind kind, int64_t integer, double number);
  absl::Status PushText(Kind kind, int length_bytes);
  absl::Status PushLong(int length_bytes);
  absl::Status PushBinFloat();
  absl::Status PushTextInt();
  absl::Status PushTextFloat();
  absl::Status PushGlobal(absl::string_view module, absl::string_view name);
  absl::Status Memoize(uint64_t index);
  absl::Status Recall(uint64_t index);
  absl::Status PushObject(PickleValue::Call call);
  absl::Status PushCollection(Kind kind);
  absl::Status AddItems(Kind container, std::vector<const PickleValue*> items);
  absl::Status Build();
  absl::Status ReadJoblibArray(PickleValue* wrapper);
  absl::Status ReadNestedPickle(PickleValue* array);

  absl::string_view in_;
  const PickleOptions& options_;
  std::unique_ptr<PickleTree> tree_;
  size_t pos_ = 0;
  size_t frame_end_ = 0;
  size_t value_bytes_ = 0;
  int nested_pickles_ = 0;
  std::vector<PickleValue*> stack_;
  std::vector<size_t> marks_;
  absl::flat_hash_map<uint64_t, PickleValue*> memo_;
};

absl::Status PickleMachine::Step(uint8_t op, PickleValue** root) {
  switch (op) {
    case 0x80: {  // PROTO
      ASSIGN_OR_RETURN(uint64_t protocol, TakeUint(1));
      return protocol >= 2 && protocol <= 5
                 ? absl::OkStatus()
                 : Error(absl::StrCat("unsupported pickle protocol ", protocol));
    }
    case 0x95: {  // FRAME: its bytes follow inline; only check that they are there
      ASSIGN_OR_RETURN(uint64_t length, TakeUint(8));
      if (length > in_.size() - pos_) return Error("truncated frame");
      frame_end_ = pos_ + length;
      return absl::OkStatus();
    }
    case 'c': {  // GLOBAL
      ASSIGN_OR_RETURN(absl::string_view module, TakeLine());
      ASSIGN_OR_RETURN(absl::string_view name, TakeLine());
      return PushGlobal(module, name);
    }
    case 0x93: {  // STACK_GLOBAL
      ASSIGN_OR_RETURN(std::string name, PopString());
      ASSIGN_OR_RETURN(std::string module, PopString());
      return PushGlobal(module, name);
    }
    case 0x94: return Memoize(memo_.size());                                      // MEMOIZE
    case 'q': { ASSIGN_OR_RETURN(uint64_t i, TakeUint(1)); return Memoize(i); }  // BINPUT
    case 'r': { ASSIGN_OR_RETURN(uint64_t i, TakeUint(4)); return Memoize(i); }  // LONG_BINPUT
    case 'h': { ASSIGN_OR_RETURN(uint64_t i, TakeUint(1)); return Recall(i); }   // BINGET
    case 'j': { ASSIGN_OR_RETURN(uint64_t i, TakeUint(4)); return Recall(i); }   // LONG_BINGET
    case '(': marks_.push_back(stack_.size()); return absl::OkStatus();  // MARK
    case '0': return Pop().status();                                     // POP
    case '1': return PopToMark().status();                               // POP_MARK
    case '2': {                                                          // DUP
      if (stack_.empty()) return Error("DUP on an empty stack");
      return Push(stack_.back());
    }
    case ')': return Push(New(Kind::kTuple));  // EMPTY_TUPLE
    case ']': return Push(New(Kind::kList));   // EMPTY_LIST
    case '}': return Push(New(Kind::kDict));   // EMPTY_DICT
    case 0x8f: return Push(New(Kind::kSet));   // EMPTY_SET
    case 't': return PushCollection(Kind::kTuple);   // TUPLE
    case 'l': return PushCollection(Kind::kList);    // LIST
    case 'd': return PushCollection(Kind::kDict);    // DICT
    case 0x91: return PushCollection(Kind::kSet);    // FROZENSET
    case 0x85: case 0x86: case 0x87: {  // TUPLE1..3
      ASSIGN_OR_RETURN(PickleValue * tuple, PopTuple(op - 0x84));
      return Push(tuple);
    }
    case 'a': { ASSIGN_OR_RETURN(PickleValue * v, Pop()); return AddItems(Kind::kList, {v}); }
    case 'e': { ASSIGN_OR_RETURN(auto items, PopToMark()); return AddItems(Kind::kList, items); }
    case 0x90: { ASSIGN_OR_RETURN(auto items, PopToMark()); return AddItems(Kind::kSet, items); }
    case 's': {  // SETITEM
      ASSIGN_OR_RETURN(PickleValue * value, Pop());
      ASSIGN_OR_RETURN(PickleValue * key, Pop());
      return AddItems(Kind::kDict, {key, value});
    }
    case 'u': { ASSIGN_OR_RETURN(auto items, PopToMark()); return AddItems(Kind::kDict, items); }
    case 'K': { ASSIGN_OR_RETURN(uint64_t v, TakeUint(1)); return PushScalar(Kind::kInt, v, 0); }
    case 'M': { ASSIGN_OR_RETURN(uint64_t v, TakeUint(2)); return PushScalar(Kind::kInt, v, 0); }
    case 'J': {  // BININT: signed 32-bit
      ASSIGN_OR_RETURN(uint64_t v, TakeUint(4));
      return PushScalar(Kind::kInt, static_cast<int32_t>(v), 0);
    }
    case 0x8a: return PushLong(1);  // LONG1
    case 0x8b: return PushLong(4);  // LONG4
    case 'I': return PushTextInt();
    case 'L': return PushTextInt();
    case 'F': return PushTextFloat();
    case 'G': return PushBinFloat();
    case 0x8c: return PushText(Kind::kString, 1);  // SHORT_BINUNICODE
    case 'X': return PushText(Kind::kString, 4);   // BINUNICODE
    case 0x8d: return PushText(Kind::kString, 8);  // BINUNICODE8
    case 'C': return PushText(Kind::kBytes, 1);    // SHORT_BINBYTES
    case 'B': return PushText(Kind::kBytes, 4);    // BINBYTES
    case 0x8e: return PushText(Kind::kBytes, 8);   // BINBYTES8
    case 0x96: return PushText(Kind::kBytes, 8);   // BYTEARRAY8 (protocol 5 in-band buffers)
    case 'U': return PushText(Kind::kBytes, 1);    // SHORT_BINSTRING (Python 2 str)
    case 'T': return PushText(Kind::kBytes, 4);    // BINSTRING (Python 2 str)
    case 'N': return Push(New(Kind::kNone));
    case 0x88: return PushScalar(Kind::kBool, 1, 0);  // NEWTRUE
    case 0x89: return PushScalar(Kind::kBool, 0, 0);  // NEWFALSE
    case 'R': return PushObject(PickleValue::Call::kReduce);
    case 0x81: return PushObject(PickleValue::Call::kNewObj);
    case 0x92: {  // NEWOBJ_EX: only with no keyword arguments
      ASSIGN_OR_RETURN(PickleValue * kwargs, Pop());
      if (kwargs->kind != Kind::kDict || !kwargs->items.empty()) {
        return Error("NEWOBJ_EX with keyword arguments");
      }
      return PushObject(PickleValue::Call::kNewObj);
    }
    case 'b': return Build();
    case '.': {  // STOP
      ASSIGN_OR_RETURN(*root, Pop());
      return absl::OkStatus();
    }
    default:
      --pos_;
      return Error(absl::StrFormat("unsupported pickle opcode 0x%02x", op));
  }
}

absl::Status PickleMachine::PushScalar(Kind kind, int64_t integer, double number) {
  PickleValue* value = New(kind);
  value->boolean = integer != 0;
  value->integer = integer;
  value->number = number;
  return Push(value);
}

absl::Status PickleMachine::PushText(Kind kind, int length_bytes) {
  ASSIGN_OR_RETURN(uint64_t length, TakeUint(length_bytes));
  ASSIGN_OR_RETURN(absl::string_view text, Take(length));
  RETURN_IF_ERROR(ChargeBytes(text.size()));
  PickleValue* value = New(kind);
  value->text = std::string(text);
  return Push(value);
}

// LONG1/LONG4: little-endian two's complement; wider than 64 bits is kept as bytes (numpy's
// SeedSequence entropy is a 128-bit Python int).
absl::Status PickleMachine::PushLong(int length_bytes) {
  ASSIGN_OR_RETURN(uint64_t length, TakeUint(length_bytes));
  ASSIGN_OR_RETURN(absl::string_view raw, Take(length));
  if (length > 8) {
    RETURN_IF_ERROR(ChargeBytes(raw.size()));
    PickleValue* value = New(Kind::kBigInt);
    value->text = std::string(raw);
    return Push(value);
  }
  uint64_t bits = 0;
  if (length > 0) std::memcpy(&bits, raw.data(), length);
  if (length > 0 && length < 8 && (raw.back() & 0x80)) bits |= ~uint64_t{0} << (8 * length);
  return PushScalar(Kind::kInt, static_cast<int64_t>(bits), 0);
}

absl::Status PickleMachine::PushBinFloat() {
  ASSIGN_OR_RETURN(absl::string_view raw, Take(8));
  uint64_t bits = 0;
  for (char c : raw) bits = (bits << 8) | static_cast<uint8_t>(c);  // big-endian
  double number;
  std::memcpy(&number, &bits, sizeof(number));
  return PushScalar(Kind::kFloat, 0, number);
}

// INT and LONG as text ("I42\n", "L42L\n"; "I00"/"I01" are False/True).
absl::Status PickleMachine::PushTextInt() {
  ASSIGN_OR_RETURN(absl::string_view line, TakeLine());
  if (line == "00" || line == "01") return PushScalar(Kind::kBool, line == "01", 0);
  if (!line.empty() && line.back() == 'L') line.remove_suffix(1);
  int64_t value;
  if (!absl::SimpleAtoi(line, &value)) return Error("malformed or too large text integer");
  return PushScalar(Kind::kInt, value, 0);
}

absl::Status PickleMachine::PushTextFloat() {
  ASSIGN_OR_RETURN(absl::string_view line, TakeLine());
  double value;
  if (!absl::SimpleAtod(line, &value)) return Error("malformed text float");
  return PushScalar(Kind::kFloat, 0, value);
}

absl::Status PickleMachine::PushGlobal(absl::string_view module, absl::string_view name) {
  const std::string qualified = absl::StrCat(module, ".", name);
  auto it = options_.allowed_globals.find(qualified);
  if (it == options_.allowed_globals.end()) {
    return Error(absl::StrCat("unsupported pickle global ", qualified));
  }
  PickleValue* value = New(Kind::kGlobal);
  value->text = qualified;
  return Push(value);
}

absl::Status PickleMachine::Memoize(uint64_t index) {
  if (stack_.empty() || (!marks_.empty() && stack_.size() == marks_.back())) {
    return Error("memoize with nothing on the stack");
  }
  memo_[index] = stack_.back();
  return absl::OkStatus();
}

absl::Status PickleMachine::Recall(uint64_t index) {
  auto it = memo_.find(index);
  if (it == memo_.end()) return Error("unknown memo key");
  return Push(it->second);
}

absl::Status PickleMachine::PushCollection(Kind kind) {
  ASSIGN_OR_RETURN(auto items, PopToMark());
  if (kind == Kind::kDict && items.size() % 2 != 0) return Error("odd number of dict items");
  PickleValue* collection = New(kind);
  collection->items = std::move(items);
  return Push(collection);
}

absl::Status PickleMachine::AddItems(Kind container, std::vector<const PickleValue*> items) {
  if (container == Kind::kDict && items.size() % 2 != 0) return Error("odd SETITEMS");
  ASSIGN_OR_RETURN(PickleValue * target, Top(container));
  target->items.insert(target->items.end(), items.begin(), items.end());
  return absl::OkStatus();
}

// Records what REDUCE/NEWOBJ would call; calls nothing. The callable must be whitelisted for
// exactly that use.
absl::Status PickleMachine::PushObject(PickleValue::Call call) {
  ASSIGN_OR_RETURN(PickleValue * args, Pop());
  ASSIGN_OR_RETURN(PickleValue * callable, Pop());
  const bool reduce = call == PickleValue::Call::kReduce;
  if (args->kind != Kind::kTuple || callable->kind != Kind::kGlobal) {
    return Error(absl::StrCat(reduce ? "REDUCE" : "NEWOBJ", " needs a global and a tuple"));
  }
  const uint8_t uses = options_.allowed_globals.at(callable->text);
  if (!(uses & (reduce ? kReduce : kNewObj))) {
    return Error(absl::StrCat(reduce ? "REDUCE" : "NEWOBJ", " of ", callable->text,
                              " is not allowed"));
  }
  PickleValue* object = New(Kind::kObject);
  object->callable = callable;
  object->args = args;
  object->call = call;
  return Push(object);
}

absl::Status PickleMachine::Build() {
  ASSIGN_OR_RETURN(PickleValue * state, Pop());
  ASSIGN_OR_RETURN(PickleValue * object, Top(Kind::kObject));
  if (object->state != nullptr) return Error("BUILD twice on one object");
  object->state = state;
  if (object->callable->IsGlobal("joblib.numpy_pickle.NumpyArrayWrapper") ||
      object->callable->IsGlobal("sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper")) {
    return ReadJoblibArray(object);
  }
  return absl::OkStatus();
}

// joblib writes the array right after the wrapper's BUILD, outside any pickle frame: for plain
// dtypes an optional padding-length byte and padding, then shape-product * itemsize raw bytes
// (in the wrapper's order); for object dtypes a whole nested pickle of the array.
absl::Status PickleMachine::ReadJoblibArray(PickleValue* wrapper) {
  const PickleValue* dtype_value = wrapper->state->Get("dtype");
  const PickleValue* shape = wrapper->state->Get("shape");
  const PickleValue* order = wrapper->state->Get("order");
  if (dtype_value == nullptr || shape == nullptr || shape->kind != Kind::kTuple ||
      order == nullptr || order->kind != Kind::kString) {
    return Error("malformed joblib NumpyArrayWrapper");
  }
  if (pos_ < frame_end_) return Error("joblib array inside a pickle frame");
  auto dtype = ParseNumpyDtype(*dtype_value);
  if (!dtype.ok()) return Error(dtype.status().message());
  PickleValue* array = New(Kind::kJoblibArray);
  array->state = wrapper->state;
  stack_.back() = array;
  if (dtype->kind == 'O') return ReadNestedPickle(array);
  uint64_t bytes = dtype->itemsize;
  for (const PickleValue* dim : shape->items) {
    if (dim->kind != Kind::kInt || dim->integer < 0) return Error("malformed array shape");
    if (dim->integer > 0 && bytes > (in_.size() - pos_) / dim->integer) {
      return Error("array larger than the input");
    }
    bytes *= dim->integer;
  }
  const PickleValue* alignment = wrapper->state->Get("numpy_array_alignment_bytes");
  if (alignment != nullptr && alignment->kind != Kind::kNone) {
    ASSIGN_OR_RETURN(uint64_t padding, TakeUint(1));
    RETURN_IF_ERROR(Take(padding).status());
  }
  ASSIGN_OR_RETURN(absl::string_view data, Take(bytes));
  RETURN_IF_ERROR(ChargeBytes(data.size()));
  array->text = std::string(data);
  return absl::OkStatus();
}

// An object array: a complete pickle (its own memo and stack) follows in the stream.
absl::Status PickleMachine::ReadNestedPickle(PickleValue* array) {
  if (nested_pickles_ >= options_.max_nested_pickles) {
    return Error("joblib object arrays nested too deep");
  }
  ++nested_pickles_;
  std::vector<PickleValue*> stack = std::move(stack_);
  std::vector<size_t> marks = std::move(marks_);
  absl::flat_hash_map<uint64_t, PickleValue*> memo = std::move(memo_);
  const size_t frame_end = frame_end_;
  stack_.clear();
  marks_.clear();
  memo_.clear();
  frame_end_ = 0;
  absl::StatusOr<PickleValue*> root = RunToStop();
  stack_ = std::move(stack);
  marks_ = std::move(marks);
  memo_ = std::move(memo);
  frame_end_ = frame_end;
  --nested_pickles_;
  if (!root.ok()) return root.status();
  array->args = *root;
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<PickleTree>> ParsePickle(absl::string_view bytes,
                                                        const PickleOptions& options) {
  return PickleMachine(bytes, options).Run();
}

}  // namespace kepler::model::core::pickle
