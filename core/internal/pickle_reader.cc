#include "core/internal/pickle_reader.h"

#include <cstring>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/status_macros.h"

namespace kepler::model::core::internal {

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

absl::StatusOr<std::string> NumpyDtype(const PickleValue& dtype) {
  const auto bad = [] { return absl::InvalidArgumentError("pickle: malformed numpy dtype"); };
  if (dtype.kind != Kind::kObject || !dtype.callable->IsGlobal("numpy.dtype")) return bad();
  if (dtype.args->kind != Kind::kTuple || dtype.args->items.empty()) return bad();
  const PickleValue& type = *dtype.args->items[0];
  if (type.kind != Kind::kString || type.text.size() < 2) return bad();
  std::string order = "|";
  if (dtype.state != nullptr && dtype.state->kind == Kind::kTuple &&
      dtype.state->items.size() > 1 && dtype.state->items[1]->kind == Kind::kString) {
    order = dtype.state->items[1]->text == "=" ? "<" : dtype.state->items[1]->text;
  }
  const std::string kinds = "fiub";
  if (kinds.find(type.text[0]) == std::string::npos || NumpyItemSize(type.text) <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("pickle: unsupported numpy dtype ", type.text));
  }
  return order + type.text;
}

int NumpyItemSize(absl::string_view dtype) {
  while (!dtype.empty() && !(dtype.front() >= '1' && dtype.front() <= '9')) dtype.remove_prefix(1);
  if (dtype.empty() || dtype.size() > 2) return -1;
  int size = 0;
  for (char c : dtype) {
    if (c < '0' || c > '9') return -1;
    size = size * 10 + (c - '0');
  }
  return size <= 16 ? size : -1;
}

class PickleMachine {
 public:
  PickleMachine(absl::string_view in, const PickleOptions& options)
      : in_(in), options_(options), tree_(std::make_unique<PickleTree>()) {}

  absl::StatusOr<std::unique_ptr<PickleTree>> Run() {
    if (in_.size() > options_.max_bytes) return Error("input larger than the limit");
    bool done = false;
    while (!done) {
      ASSIGN_OR_RETURN(uint64_t op, TakeUint(1));
      RETURN_IF_ERROR(Step(static_cast<uint8_t>(op), &done));
      if (tree_->arena_.size() > options_.max_values || memo_.size() > options_.max_values) {
        return Error("more values than the limit");
      }
    }
    return std::move(tree_);
  }

 private:
  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat("pickle: ", what, " at offset ", pos_));
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
    if (stack_.empty() || stack_.back()->kind != kind) return Error("unexpected value on stack");
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
  absl::Status Step(uint8_t op, bool* done);
  absl::Status PushScalar(Kind kind, int64_t integer, double number);
  absl::Status PushText(Kind kind, int length_bytes);
  absl::Status PushGlobal(absl::string_view module, absl::string_view name);
  absl::Status Memoize(uint64_t index);
  absl::Status Recall(uint64_t index);
  absl::Status PushObject();
  absl::Status AddItems(Kind container, std::vector<const PickleValue*> items);
  absl::Status Build();
  absl::Status ReadJoblibArray(const PickleValue& wrapper);
  absl::Status PushLong1();
  absl::Status PushBinFloat();

  absl::string_view in_;
  const PickleOptions& options_;
  std::unique_ptr<PickleTree> tree_;
  size_t pos_ = 0;
  size_t frame_end_ = 0;
  std::vector<PickleValue*> stack_;
  std::vector<size_t> marks_;
  absl::flat_hash_map<uint64_t, PickleValue*> memo_;
};


absl::Status PickleMachine::Step(uint8_t op, bool* done) {
  switch (op) {
    case 0x80: {  // PROTO
      ASSIGN_OR_RETURN(uint64_t protocol, TakeUint(1));
      return protocol >= 2 && protocol <= 5 ? absl::OkStatus() : Error("unsupported protocol");
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
    case 0x94: return Memoize(memo_.size());                          // MEMOIZE
    case 'q': { ASSIGN_OR_RETURN(uint64_t i, TakeUint(1)); return Memoize(i); }  // BINPUT
    case 'r': { ASSIGN_OR_RETURN(uint64_t i, TakeUint(4)); return Memoize(i); }  // LONG_BINPUT
    case 'h': { ASSIGN_OR_RETURN(uint64_t i, TakeUint(1)); return Recall(i); }   // BINGET
    case 'j': { ASSIGN_OR_RETURN(uint64_t i, TakeUint(4)); return Recall(i); }   // LONG_BINGET
    case '(': marks_.push_back(stack_.size()); return absl::OkStatus();  // MARK
    case ')': return Push(New(Kind::kTuple));                            // EMPTY_TUPLE
    case ']': return Push(New(Kind::kList));                             // EMPTY_LIST
    case '}': return Push(New(Kind::kDict));                             // EMPTY_DICT
    case 't': {  // TUPLE
      ASSIGN_OR_RETURN(auto items, PopToMark());
      PickleValue* tuple = New(Kind::kTuple);
      tuple->items = std::move(items);
      return Push(tuple);
    }
    case 0x85: case 0x86: case 0x87: {  // TUPLE1..3
      ASSIGN_OR_RETURN(PickleValue * tuple, PopTuple(op - 0x84));
      return Push(tuple);
    }
    case 'a': { ASSIGN_OR_RETURN(PickleValue * v, Pop()); return AddItems(Kind::kList, {v}); }
    case 'e': { ASSIGN_OR_RETURN(auto items, PopToMark()); return AddItems(Kind::kList, items); }
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
    case 0x8a: return PushLong1();
    case 'G': return PushBinFloat();
    case 0x8c: return PushText(Kind::kString, 1);  // SHORT_BINUNICODE
    case 'X': return PushText(Kind::kString, 4);   // BINUNICODE
    case 0x8d: return PushText(Kind::kString, 8);  // BINUNICODE8
    case 'C': return PushText(Kind::kBytes, 1);    // SHORT_BINBYTES
    case 'B': return PushText(Kind::kBytes, 4);    // BINBYTES
    case 0x8e: return PushText(Kind::kBytes, 8);   // BINBYTES8
    case 0x96: return PushText(Kind::kBytes, 8);   // BYTEARRAY8 (protocol 5 in-band buffers)
    case 'N': return Push(New(Kind::kNone));
    case 0x88: return PushScalar(Kind::kBool, 1, 0);  // NEWTRUE
    case 0x89: return PushScalar(Kind::kBool, 0, 0);  // NEWFALSE
    case 'R': case 0x81: return PushObject();        // REDUCE, NEWOBJ
    case 'b': return Build();
    case '.': {  // STOP
      ASSIGN_OR_RETURN(tree_->root_, Pop());
      *done = true;
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
  PickleValue* value = New(kind);
  value->text = std::string(text);
  return Push(value);
}

absl::Status PickleMachine::PushLong1() {
  ASSIGN_OR_RETURN(uint64_t length, TakeUint(1));
  if (length > 8) return Error("integer too large");
  ASSIGN_OR_RETURN(absl::string_view raw, Take(length));
  uint64_t bits = 0;
  std::memcpy(&bits, raw.data(), length);
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

absl::Status PickleMachine::PushGlobal(absl::string_view module, absl::string_view name) {
  const std::string qualified = absl::StrCat(module, ".", name);
  if (!options_.allowed_globals.contains(qualified)) {
    return Error(absl::StrCat("unsupported pickle global ", qualified));
  }
  PickleValue* value = New(Kind::kGlobal);
  value->text = qualified;
  return Push(value);
}

absl::Status PickleMachine::Memoize(uint64_t index) {
  if (stack_.empty()) return Error("memoize on empty stack");
  memo_[index] = stack_.back();
  return absl::OkStatus();
}

absl::Status PickleMachine::Recall(uint64_t index) {
  auto it = memo_.find(index);
  if (it == memo_.end()) return Error("unknown memo key");
  return Push(it->second);
}

absl::Status PickleMachine::AddItems(Kind container, std::vector<const PickleValue*> items) {
  if (container == Kind::kDict && items.size() % 2 != 0) return Error("odd SETITEMS");
  ASSIGN_OR_RETURN(PickleValue * target, Top(container));
  target->items.insert(target->items.end(), items.begin(), items.end());
  return absl::OkStatus();
}

// Records what REDUCE/NEWOBJ would call; calls nothing.
absl::Status PickleMachine::PushObject() {
  ASSIGN_OR_RETURN(PickleValue * args, Pop());
  ASSIGN_OR_RETURN(PickleValue * callable, Pop());
  if (args->kind != Kind::kTuple || callable->kind != Kind::kGlobal) {
    return Error("REDUCE/NEWOBJ needs a global and a tuple");
  }
  PickleValue* object = New(Kind::kObject);
  object->callable = callable;
  object->args = args;
  return Push(object);
}

absl::Status PickleMachine::Build() {
  ASSIGN_OR_RETURN(PickleValue * state, Pop());
  ASSIGN_OR_RETURN(PickleValue * object, Top(Kind::kObject));
  if (object->state != nullptr) return Error("BUILD twice on one object");
  object->state = state;
  if (object->callable->IsGlobal("joblib.numpy_pickle.NumpyArrayWrapper") ||
      object->callable->IsGlobal("sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper")) {
    return ReadJoblibArray(*object);
  }
  return absl::OkStatus();
}

// joblib writes the array's bytes right after the wrapper's BUILD, outside any pickle frame:
// an optional padding-length byte and padding, then shape-product * itemsize raw bytes.
absl::Status PickleMachine::ReadJoblibArray(const PickleValue& wrapper) {
  const PickleValue* dtype = wrapper.state->Get("dtype");
  const PickleValue* shape = wrapper.state->Get("shape");
  const PickleValue* order = wrapper.state->Get("order");
  if (dtype == nullptr || shape == nullptr || shape->kind != Kind::kTuple || order == nullptr ||
      order->kind != Kind::kString) {
    return Error("malformed joblib NumpyArrayWrapper");
  }
  if (pos_ < frame_end_) return Error("joblib array inside a pickle frame");
  PickleValue* array = New(Kind::kArray);
  ASSIGN_OR_RETURN(array->dtype, NumpyDtype(*dtype));
  array->fortran_order = order->text == "F";
  uint64_t bytes = NumpyItemSize(array->dtype);
  for (const PickleValue* dim : shape->items) {
    if (dim->kind != Kind::kInt || dim->integer < 0) return Error("malformed array shape");
    array->shape.push_back(dim->integer);
    if (dim->integer > 0 && bytes > (in_.size() - pos_) / dim->integer) {
      return Error("array larger than the input");
    }
    bytes *= dim->integer;
  }
  if (wrapper.state->Get("numpy_array_alignment_bytes") != nullptr) {
    ASSIGN_OR_RETURN(uint64_t padding, TakeUint(1));
    RETURN_IF_ERROR(Take(padding).status());
  }
  ASSIGN_OR_RETURN(absl::string_view data, Take(bytes));
  array->text = std::string(data);
  stack_.back() = array;
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<PickleTree>> ParsePickle(absl::string_view bytes,
                                                        const PickleOptions& options) {
  return PickleMachine(bytes, options).Run();
}

}  // namespace kepler::model::core::internal
