// libcurl, loaded at run time instead of linked.
//
// What: the libcurl functions the HTTP client calls, as typed function
// pointers resolved from "libcurl.so.4" with dlopen/dlsym.
// Why: linking -lcurl makes every process map libcurl and its dependencies
// (GnuTLS, Kerberos, LDAP, libssh2, ...), about 6.5 MB resident, even when it
// only reads local model files. Loading on the first https request keeps
// that cost in the processes that actually make one (plain http has its own
// client, plain_http.h).
// How: `GetCurlLibrary()` on the request path; <curl/curl.h> still supplies
// the types and constants:
//
//   ASSIGN_OR_RETURN(const CurlLibrary* curl, GetCurlLibrary());
//   CURL* easy = curl->easy_init();
//
// Thread-safety: both functions are safe to call from many threads at once.
#ifndef KEPLER_CORE_INTERNAL_CURL_LIBRARY_H_
#define KEPLER_CORE_INTERNAL_CURL_LIBRARY_H_

#include <curl/curl.h>

#include "absl/status/statusor.h"

namespace kepler::model::core::internal {

// The shared object loaded by GetCurlLibrary (Debian package libcurl4).
inline constexpr char kCurlSoname[] = "libcurl.so.4";

// Entry points of one loaded libcurl; each is named after its curl_ function.
struct CurlLibrary {
  decltype(&curl_global_init) global_init = nullptr;
  decltype(&curl_easy_init) easy_init = nullptr;
  decltype(&curl_easy_setopt) easy_setopt = nullptr;
  decltype(&curl_easy_perform) easy_perform = nullptr;
  decltype(&curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&curl_easy_strerror) easy_strerror = nullptr;
  decltype(&curl_slist_append) slist_append = nullptr;
  decltype(&curl_slist_free_all) slist_free_all = nullptr;
};

// Loads `soname` (RTLD_NOW | RTLD_LOCAL) and resolves every CurlLibrary
// entry, without calling curl_global_init. FailedPrecondition, naming the
// library and the package to install, when it or a symbol is missing. The
// library stays loaded for the life of the process once resolved.
[[nodiscard]] absl::StatusOr<CurlLibrary> OpenCurlLibrary(const char* soname);

// The process-wide libcurl: opens kCurlSoname and runs curl_global_init on
// the first call only; every call returns that first outcome (a missing
// library is not retried). The pointer is never freed.
[[nodiscard]] absl::StatusOr<const CurlLibrary*> GetCurlLibrary();

}  // namespace kepler::model::core::internal

#endif  // KEPLER_CORE_INTERNAL_CURL_LIBRARY_H_
