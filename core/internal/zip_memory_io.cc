#include "core/internal/zip_memory_io.h"

#include <algorithm>
#include <cstring>

namespace kepler::model::core::internal {
namespace {

MemoryStream* AsStream(voidpf stream) {
  return static_cast<MemoryStream*>(stream);
}

voidpf ZCALLBACK MemOpen(voidpf opaque, const void*, int) { return opaque; }

uLong ZCALLBACK MemRead(voidpf, voidpf stream, void* buf, uLong size) {
  MemoryStream* s = AsStream(stream);
  if (s->pos >= s->Size()) return 0;
  uLong n = static_cast<uLong>(std::min<uint64_t>(size, s->Size() - s->pos));
  std::memcpy(buf, s->Data() + s->pos, n);
  s->pos += n;
  return n;
}

uLong ZCALLBACK MemWrite(voidpf, voidpf stream, const void* buf, uLong size) {
  MemoryStream* s = AsStream(stream);
  if (s->writable == nullptr) return 0;
  size_t overwritten = std::min<uint64_t>(size, s->Size() - s->pos);
  s->writable->replace(s->pos, overwritten, static_cast<const char*>(buf),
                       size);
  s->pos += size;
  return size;
}

ZPOS64_T ZCALLBACK MemTell(voidpf, voidpf stream) {
  return AsStream(stream)->pos;
}

// Seeking past the end fails, so a lying offset in a header cannot make
// minizip read outside the buffer.
long ZCALLBACK MemSeek(voidpf, voidpf stream, ZPOS64_T offset, int origin) {
  MemoryStream* s = AsStream(stream);
  uint64_t base = origin == ZLIB_FILEFUNC_SEEK_SET   ? 0
                  : origin == ZLIB_FILEFUNC_SEEK_CUR ? s->pos
                                                     : s->Size();
  if (offset > s->Size() - base) return -1;
  s->pos = base + offset;
  return 0;
}

int ZCALLBACK MemClose(voidpf, voidpf) { return 0; }
int ZCALLBACK MemError(voidpf, voidpf) { return 0; }

}  // namespace

zlib_filefunc64_def MemoryIo(MemoryStream* stream) {
  zlib_filefunc64_def io;
  io.zopen64_file = MemOpen;
  io.zread_file = MemRead;
  io.zwrite_file = MemWrite;
  io.ztell64_file = MemTell;
  io.zseek64_file = MemSeek;
  io.zclose_file = MemClose;
  io.zerror_file = MemError;
  io.opaque = stream;
  return io;
}

}  // namespace kepler::model::core::internal
