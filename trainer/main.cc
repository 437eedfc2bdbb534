// kepler-trainer: the trainer service (issues 6-8). Not implemented yet beyond --version; exits 2 otherwise.
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "core/version.h"

ABSL_FLAG(bool, version, false, "Print the version and exit.");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_version)) {
    std::cout << "kepler-trainer " << kepler::model::core::kVersion << "\n";
    return 0;
  }
  std::cerr << "kepler-trainer: not implemented yet\n";
  return 2;
}
