// Fuzzes core/archive.h: ReadZip on hostile zip bytes, as model archives arrive from model
// databases over the network.
//
// Limits are small (64 entries, 1 MiB per file, 2 MiB in all) so that a zip bomb is rejected
// quickly rather than exhausting the fuzzer's memory.
// Invariants:
// - ReadZip never crashes; a rejection is InvalidArgument with a message.
// - An accepted archive respects every limit (entry count, bytes per file and in total) and holds
//   only valid, unique, non-folder names.
// - WriteZip of the accepted entries succeeds, and ReadZip of that gives the same entries, sorted
//   by name.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/archive.h"
#include "fuzz/fuzz_check.h"

namespace {

using kepler::model::core::ArchiveEntry;
using kepler::model::core::ArchiveLimits;

ArchiveLimits FuzzLimits() {
  ArchiveLimits limits;
  limits.max_entries = 64;
  limits.max_entry_bytes = 1 << 20;
  limits.max_total_bytes = 2 << 20;
  return limits;
}

void CheckAccepted(const std::vector<ArchiveEntry>& entries, const ArchiveLimits& limits) {
  FUZZ_CHECK(entries.size() <= limits.max_entries, "more entries than max_entries");
  uint64_t total = 0;
  std::set<std::string> names;
  for (const ArchiveEntry& entry : entries) {
    FUZZ_CHECK(kepler::model::core::ValidateEntryName(entry.name).ok(), "accepted a bad name");
    FUZZ_CHECK(entry.name.back() != '/', "returned a folder entry");
    FUZZ_CHECK(names.insert(entry.name).second, "returned a duplicate name");
    FUZZ_CHECK(entry.data.size() <= limits.max_entry_bytes, "file over max_entry_bytes");
    total += entry.data.size();
  }
  FUZZ_CHECK(total <= limits.max_total_bytes, "archive over max_total_bytes");

  auto rewritten = kepler::model::core::WriteZip(entries);
  FUZZ_CHECK(rewritten.ok(), "WriteZip refused entries ReadZip accepted");
  auto reread = kepler::model::core::ReadZip(*rewritten, limits);
  FUZZ_CHECK(reread.ok(), "ReadZip refused what WriteZip wrote");
  std::vector<ArchiveEntry> sorted = entries;
  std::sort(sorted.begin(), sorted.end(),
            [](const ArchiveEntry& a, const ArchiveEntry& b) { return a.name < b.name; });
  FUZZ_CHECK(reread->size() == sorted.size(), "round trip changed the entry count");
  for (size_t i = 0; i < sorted.size(); ++i) {
    FUZZ_CHECK((*reread)[i].name == sorted[i].name && (*reread)[i].data == sorted[i].data,
               "round trip changed an entry");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  const ArchiveLimits limits = FuzzLimits();
  auto entries = kepler::model::core::ReadZip(bytes, limits);
  if (!entries.ok()) {
    FUZZ_CHECK(entries.status().code() == absl::StatusCode::kInvalidArgument,
               "not InvalidArgument");
    FUZZ_CHECK(!entries.status().message().empty(), "empty error message");
    return 0;
  }
  CheckAccepted(*entries, limits);
  return 0;
}
