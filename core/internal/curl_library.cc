#include "core/internal/curl_library.h"

#include <dlfcn.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace kepler::model::core::internal {
namespace {

constexpr char kInstallHint[] =
    "http(s) URLs need libcurl; install it (Debian package libcurl4)";

// dlerror() describes the last failure; it is null when there was none.
const char* LastDlError() {
  const char* error = dlerror();
  return error != nullptr ? error : "unknown error";
}

template <typename Fn>
absl::Status Resolve(void* handle, const char* soname, const char* name,
                     Fn* out) {
  void* symbol = dlsym(handle, name);
  if (symbol == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot resolve ", name, " in ", soname, " (",
                     LastDlError(), "); ", kInstallHint));
  }
  *out = reinterpret_cast<Fn>(symbol);
  return absl::OkStatus();
}

absl::Status ResolveAll(void* handle, const char* soname, CurlLibrary& lib) {
  RETURN_IF_ERROR(Resolve(handle, soname, "curl_global_init", &lib.global_init));
  RETURN_IF_ERROR(Resolve(handle, soname, "curl_easy_init", &lib.easy_init));
  RETURN_IF_ERROR(Resolve(handle, soname, "curl_easy_setopt", &lib.easy_setopt));
  RETURN_IF_ERROR(Resolve(handle, soname, "curl_easy_perform", &lib.easy_perform));
  RETURN_IF_ERROR(Resolve(handle, soname, "curl_easy_getinfo", &lib.easy_getinfo));
  RETURN_IF_ERROR(Resolve(handle, soname, "curl_easy_cleanup", &lib.easy_cleanup));
  RETURN_IF_ERROR(Resolve(handle, soname, "curl_easy_strerror", &lib.easy_strerror));
  RETURN_IF_ERROR(Resolve(handle, soname, "curl_slist_append", &lib.slist_append));
  return Resolve(handle, soname, "curl_slist_free_all", &lib.slist_free_all);
}

absl::StatusOr<CurlLibrary> LoadAndInit() {
  ASSIGN_OR_RETURN(CurlLibrary lib, OpenCurlLibrary(kCurlSoname));
  if (CURLcode rc = lib.global_init(CURL_GLOBAL_DEFAULT); rc != CURLE_OK) {
    return absl::InternalError(absl::StrCat(
        "curl_global_init in ", kCurlSoname, ": ", lib.easy_strerror(rc)));
  }
  return lib;
}

}  // namespace

absl::StatusOr<CurlLibrary> OpenCurlLibrary(const char* soname) {
  // RTLD_NOW reports a broken install here rather than mid-request;
  // RTLD_LOCAL keeps curl's dependencies out of the global symbol namespace.
  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot load ", soname, " (", LastDlError(), "); ", kInstallHint));
  }
  CurlLibrary lib;
  if (absl::Status resolved = ResolveAll(handle, soname, lib); !resolved.ok()) {
    dlclose(handle);
    return resolved;
  }
  return lib;  // Never dlclosed: the pointers must outlive every request.
}

absl::StatusOr<const CurlLibrary*> GetCurlLibrary() {
  // A function-local static runs curl_global_init exactly once, even on
  // libcurl versions whose global init is not thread-safe.
  static const absl::StatusOr<CurlLibrary>* const loaded =
      new absl::StatusOr<CurlLibrary>(LoadAndInit());
  if (!loaded->ok()) return loaded->status();
  return &**loaded;
}

}  // namespace kepler::model::core::internal
