// Resident memory of a process, from /proc/<pid>/status.
//
// What: reads VmRSS (resident now) and VmHWM (the peak resident size, the
// "high water mark") of a process.
// Why: issues 3 and 4 bound the services' resident memory (40 MB and 20 MB);
// the benchmark script samples it after start and after the load runs, and
// VmHWM catches the peak between samples.
// How to use:
//   ASSIGN_OR_RETURN(MemoryUsage m, ReadMemoryUsage(pid));
//   printf("%lld kB\n", m.rss_kb);
//
// Thread-safety: free functions.
#ifndef KEPLER_TOOLS_LOAD_PROC_STATUS_H_
#define KEPLER_TOOLS_LOAD_PROC_STATUS_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kepler::model::tools {

struct MemoryUsage {
  int64_t rss_kb = 0;  // VmRSS
  int64_t hwm_kb = 0;  // VmHWM
};

// Parses the text of a /proc/<pid>/status file. InvalidArgument when VmRSS or
// VmHWM is missing or not "<number> kB" (kernel threads have neither).
[[nodiscard]] absl::StatusOr<MemoryUsage> ParseProcStatus(absl::string_view text);

// Reads and parses /proc/<pid>/status. NotFound when there is no such process.
[[nodiscard]] absl::StatusOr<MemoryUsage> ReadMemoryUsage(int pid);

}  // namespace kepler::model::tools

#endif  // KEPLER_TOOLS_LOAD_PROC_STATUS_H_
