// A fixture folder zipped as a published pipeline archive (testonly).
//
// Runfiles are symlinks, which core::ZipFolder skips; ZipFixture copies the folder with its links
// resolved into `scratch` and zips the copy.
//
//   std::string zip = *ZipFixture("testdata/model-db/ec2-0.7.11", TempDir());
#ifndef KEPLER_CORE_TESTING_FIXTURE_ZIP_H_
#define KEPLER_CORE_TESTING_FIXTURE_ZIP_H_

#include <string>

#include "absl/status/statusor.h"

namespace kepler::model::core::test_util {

// The zip of `folder`'s files (at the archive root); `scratch` receives a copy, removed after.
absl::StatusOr<std::string> ZipFixture(const std::string& folder, const std::string& scratch);

}  // namespace kepler::model::core::test_util

#endif  // KEPLER_CORE_TESTING_FIXTURE_ZIP_H_
