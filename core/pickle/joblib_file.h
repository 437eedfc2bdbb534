// joblib files: a pickle, stored as is or zlib/gzip-compressed, with numpy arrays inline.
//
// What: ParseJoblib accepts what `joblib.dump` writes with no compression or with the zlib or
// gzip compressors (the compressed forms wrap the whole stream, array bytes included), inflates
// it within the options' byte limit, and runs the pickle machine over it. Files compressed with
// bz2, lzma/xz or lz4, and joblib's pre-0.10 "ZF" format, are refused by name.
// Why: the published model databases hold uncompressed joblib files, but `joblib.dump(...,
// compress=3)` is a common way to publish smaller ones, and a compressed file must not be a way
// around the size limit (a small zlib bomb inflates to gigabytes).
// How: ParseJoblib(bytes, options); options.max_bytes bounds the inflated size.
//
// Thread-safety: reentrant.
#ifndef KEPLER_CORE_PICKLE_JOBLIB_FILE_H_
#define KEPLER_CORE_PICKLE_JOBLIB_FILE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/pickle/pickle_machine.h"

namespace kepler::model::core::pickle {

// Inflates `bytes` when compressed (at most options.max_bytes), then runs ParsePickle.
// InvalidArgument for corrupt or truncated streams, unsupported compressors, output beyond the
// limit, and everything ParsePickle refuses.
[[nodiscard]] absl::StatusOr<std::unique_ptr<PickleTree>> ParseJoblib(
    absl::string_view bytes, const PickleOptions& options);

}  // namespace kepler::model::core::pickle

#endif  // KEPLER_CORE_PICKLE_JOBLIB_FILE_H_
