#include "core/pickle/joblib_file.h"

#include <zlib.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace kepler::model::core::pickle {
namespace {

absl::Status Bad(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("joblib: ", what));
}

bool IsZlib(absl::string_view b) {
  return b.size() >= 2 && static_cast<uint8_t>(b[0]) == 0x78 &&
         ((static_cast<uint8_t>(b[0]) << 8) | static_cast<uint8_t>(b[1])) % 31 == 0;
}

bool IsGzip(absl::string_view b) {
  return b.size() >= 2 && static_cast<uint8_t>(b[0]) == 0x1f && static_cast<uint8_t>(b[1]) == 0x8b;
}

// Names the compressor of a file this reader does not inflate, or empty.
absl::string_view UnsupportedCompressor(absl::string_view b) {
  if (absl::StartsWith(b, "BZh")) return "bz2";
  if (absl::StartsWith(b, "\xFD" "7zXZ")) return "xz";
  if (absl::StartsWith(b, "\x5D\x00\x00")) return "lzma";
  if (absl::StartsWith(b, "\x04\x22\x4D\x18")) return "lz4";
  if (absl::StartsWith(b, "ZF")) return "joblib < 0.10 'ZF'";
  return "";
}

absl::StatusOr<std::string> Inflate(absl::string_view in, size_t max_bytes) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 32) != Z_OK) return absl::InternalError("zlib: inflateInit2 failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buffer[64 * 1024];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof(buffer);
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      return Bad(rc == Z_BUF_ERROR ? "truncated compressed stream" : "corrupt compressed stream");
    }
    const size_t produced = sizeof(buffer) - z.avail_out;
    if (produced > max_bytes - out.size()) {
      inflateEnd(&z);
      return Bad(absl::StrCat("inflates to more than the limit of ", max_bytes, " bytes"));
    }
    out.append(buffer, produced);
  }
  inflateEnd(&z);
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PickleTree>> ParseJoblib(absl::string_view bytes,
                                                        const PickleOptions& options) {
  if (IsZlib(bytes) || IsGzip(bytes)) {
    ASSIGN_OR_RETURN(std::string inflated, Inflate(bytes, options.max_bytes));
    return ParsePickle(inflated, options);
  }
  if (absl::string_view name = UnsupportedCompressor(bytes); !name.empty()) {
    return Bad(absl::StrCat("files compressed with ", name, " are not supported"));
  }
  return ParsePickle(bytes, options);
}

}  // namespace kepler::model::core::pickle
