// proc-rss: prints a process's resident memory now and at its peak.
//
//   proc-rss --pid=1234
//   RESULT pid=1234 vmrss_kb=19644 vmhwm_kb=20640
//
// From /proc/<pid>/status (tools/load/proc_status.h); VmHWM is the peak resident size.
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "tools/load/proc_status.h"

ABSL_FLAG(int, pid, 0, "Process to read.");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  int pid = absl::GetFlag(FLAGS_pid);
  auto usage = kepler::model::tools::ReadMemoryUsage(pid);
  if (!usage.ok()) {
    std::cerr << "proc-rss: " << usage.status() << "\n";
    return 1;
  }
  std::cout << "RESULT pid=" << pid << " vmrss_kb=" << usage->rss_kb
            << " vmhwm_kb=" << usage->hwm_kb << "\n";
  return 0;
}
