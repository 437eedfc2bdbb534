#include "tools/load/proc_status.h"

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_split.h"

namespace kepler::model::tools {
namespace {

// The value of "Key:   1234 kB", or false.
bool ParseKb(absl::string_view line, absl::string_view key, int64_t* kb) {
  if (!absl::ConsumePrefix(&line, key) || !absl::ConsumePrefix(&line, ":")) return false;
  line = absl::StripAsciiWhitespace(line);
  return absl::ConsumeSuffix(&line, "kB") &&
         absl::SimpleAtoi(absl::StripAsciiWhitespace(line), kb);
}

}  // namespace

absl::StatusOr<MemoryUsage> ParseProcStatus(absl::string_view text) {
  MemoryUsage usage;
  bool rss = false, hwm = false;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    rss |= ParseKb(line, "VmRSS", &usage.rss_kb);
    hwm |= ParseKb(line, "VmHWM", &usage.hwm_kb);
  }
  if (!rss || !hwm) return absl::InvalidArgumentError("status has no VmRSS or VmHWM in kB");
  return usage;
}

absl::StatusOr<MemoryUsage> ReadMemoryUsage(int pid) {
  std::string path = absl::StrCat("/proc/", pid, "/status");
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("no process ", pid, " (", path, ")"));
  std::stringstream text;
  text << in.rdbuf();
  return ParseProcStatus(text.str());
}

}  // namespace kepler::model::tools
