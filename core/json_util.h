// JSON helpers over RapidJSON: parsing with absl::Status errors, Python-compatible number
// formatting, and one writer for the two output styles this service needs.
//
// What: `ParseJson` turns text into a rapidjson::Document (full-precision doubles, so every number
// Python wrote reads back bit-exact). `FormatDouble` prints a double as Python's repr() does
// ("76.0", "1e-05", "1e+16"), the shortest text that reads back to the same double.
// `WriteJson` serialises a value either compactly (`{"a":1}`, the unix socket) or as Python's
// `json.dumps` does (`{"a": 1}`, optionally with sorted keys, as the HTTP gateway answers).
// Why: Kepler and existing tools read our output; published weight documents were written by
// Python, and writing them back byte-for-byte needs Python's number and spacing rules.
// How: integers stay integers (RapidJSON keeps "96" and "96.0" apart, and Go will not decode
// 96.0 into an int field); doubles always carry a '.' or an exponent. NaN and infinities cannot be
// written: WriteJson and FormatDouble return InvalidArgument for them, as JSON has no spelling.
//
// Thread-safety: all functions are reentrant and share no state.
#ifndef KEPLER_CORE_JSON_UTIL_H_
#define KEPLER_CORE_JSON_UTIL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rapidjson/document.h"

namespace kepler::model::core {

// Parses `text` as one JSON value (trailing non-space text is an error). Accepts NaN, Infinity
// and -Infinity, which Python's json module writes. InvalidArgument names the byte offset and the
// reason, e.g. "JSON parse error at offset 12: Missing a colon after a name of object member.".
// Nesting depth is bounded (kMaxJsonDepth) so callers may walk documents recursively.
[[nodiscard]] absl::StatusOr<rapidjson::Document> ParseJson(absl::string_view text);

// Deepest nesting of arrays and objects ParseJson and WriteJson accept.
inline constexpr int kMaxJsonDepth = 128;

// Python repr() of a finite double: shortest round-trip digits; fixed notation for decimal
// exponents -4..15 ("0.0001", "76.0", "1234567890123456.0"), scientific otherwise ("1e-05",
// "1.5e+16"). InvalidArgument for NaN and infinities.
[[nodiscard]] absl::StatusOr<std::string> FormatDouble(double value);

// How WriteJson lays out its output.
struct JsonWriteOptions {
  // ", " between items and ": " after keys, as Python's json.dumps; false: "," and ":".
  bool python_spacing = false;
  // Object members in bytewise (= code point) key order, as sort_keys=True; false: as stored.
  bool sort_keys = false;
  // Escape every non-ASCII character (and DEL) as \uXXXX with surrogate pairs, as
  // ensure_ascii=True; false: copy UTF-8 through, escaping only '"', '\' and control characters.
  bool ensure_ascii = false;

  // {"a":1,"b":[1.0,2]}: the unix-socket style.
  static JsonWriteOptions Compact() { return {}; }
  // json.dumps(value, sort_keys=sort_keys): Python's default separators and ensure_ascii.
  static JsonWriteOptions PythonDumps(bool sort_keys) { return {true, sort_keys, true}; }
};

// Serialises `value`. InvalidArgument for a non-finite double, a string that is not valid UTF-8,
// or nesting deeper than kMaxJsonDepth.
[[nodiscard]] absl::StatusOr<std::string> WriteJson(const rapidjson::Value& value,
                                                    const JsonWriteOptions& options);

// Member `key` of `object` (exact match first, then ASCII case-insensitive, as Go's
// encoding/json matches keys). nullptr when `object` is not an object or has no such member.
const rapidjson::Value* FindMember(const rapidjson::Value& object, absl::string_view key);

// The string view of a string value (may contain NUL bytes).
inline absl::string_view StringView(const rapidjson::Value& value) {
  return absl::string_view(value.GetString(), value.GetStringLength());
}

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_JSON_UTIL_H_
