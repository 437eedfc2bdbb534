#include "core/testing/fixture_zip.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "core/archive.h"

namespace kepler::model::core::test_util {

absl::StatusOr<std::string> ZipFixture(const std::string& folder, const std::string& scratch) {
  namespace fs = std::filesystem;
  const fs::path copy = fs::path(scratch) / ("zip-fixture-" + fs::path(folder).filename().string());
  std::error_code ec;
  fs::remove_all(copy, ec);
  fs::copy(folder, copy, fs::copy_options::recursive, ec);  // follows the runfiles' links
  if (ec) return absl::InternalError(absl::StrCat("copy ", folder, ": ", ec.message()));
  absl::StatusOr<std::string> zip = ZipFolder(copy.string());
  fs::remove_all(copy, ec);
  return zip;
}

}  // namespace kepler::model::core::test_util
