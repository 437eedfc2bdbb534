// minizip file functions over a byte buffer in memory. Private to
// //core:archive.
//
// What: a zlib_filefunc64_def whose callbacks read from a string_view or
// write into a growing std::string, for unzOpen2_64 and zipOpen2_64.
// Why: Debian's minizip 1.1 can only read and write through FILE*, and model
// archives arrive as bytes (downloads, request bodies); a temporary file would
// cost a disk round trip and a cleanup path.
// How: fill a MemoryStream, pass MemoryIo(&stream) and kMemoryPath to the open
// call; minizip hands the stream back to every callback. Seeking past the end
// fails, so offsets in a hostile zip cannot make minizip read outside the
// buffer. The stream must outlive the unzFile/zipFile; one stream serves one
// open archive at a time.
#ifndef KEPLER_CORE_INTERNAL_ZIP_MEMORY_IO_H_
#define KEPLER_CORE_INTERNAL_ZIP_MEMORY_IO_H_

#include <minizip/ioapi.h>

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace kepler::model::core::internal {

// The "path" to pass to unzOpen2_64 / zipOpen2_64; the callbacks ignore it.
inline constexpr char kMemoryPath[] = "<memory>";

// The buffer an archive is read from or written to, and the current position.
struct MemoryStream {
  // The zip to read; used when `writable` is null. Not owned.
  absl::string_view read_only;
  // The zip being written, grown and patched in place. Not owned.
  std::string* writable = nullptr;
  // Offset of the next read or write.
  uint64_t pos = 0;

  const char* Data() const {
    return writable != nullptr ? writable->data() : read_only.data();
  }
  uint64_t Size() const {
    return writable != nullptr ? writable->size() : read_only.size();
  }
};

// Returns minizip file functions that operate on `*stream` (not owned).
zlib_filefunc64_def MemoryIo(MemoryStream* stream);

}  // namespace kepler::model::core::internal

#endif  // KEPLER_CORE_INTERNAL_ZIP_MEMORY_IO_H_
