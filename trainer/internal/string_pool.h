// Interning of label strings for a Capture (internal).
//
// Every distinct label name and value is stored once; series refer to them by a 32-bit id. The
// pool only grows. Views returned by Get() stay valid as long as the pool lives, even as it grows
// (strings live in a deque, whose elements never move).
//
// Thread-safety: Intern() is not thread-safe; Get() and Find() are safe once interning is done.
#ifndef KEPLER_TRAINER_INTERNAL_STRING_POOL_H_
#define KEPLER_TRAINER_INTERNAL_STRING_POOL_H_

#include <cstdint>
#include <deque>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace kepler::model::trainer::internal {

class StringPool {
 public:
  static constexpr uint32_t kNotFound = UINT32_MAX;

  // The id of `text`, adding it when new.
  uint32_t Intern(absl::string_view text) {
    auto it = ids_.find(text);
    if (it != ids_.end()) return it->second;
    strings_.emplace_back(text);
    uint32_t id = static_cast<uint32_t>(strings_.size() - 1);
    ids_.emplace(absl::string_view(strings_.back()), id);
    return id;
  }
  // The id of `text`, or kNotFound when it was never interned.
  uint32_t Find(absl::string_view text) const {
    auto it = ids_.find(text);
    return it == ids_.end() ? kNotFound : it->second;
  }
  absl::string_view Get(uint32_t id) const { return strings_[id]; }

 private:
  std::deque<std::string> strings_;
  absl::flat_hash_map<absl::string_view, uint32_t> ids_;
};

}  // namespace kepler::model::trainer::internal

#endif  // KEPLER_TRAINER_INTERNAL_STRING_POOL_H_
