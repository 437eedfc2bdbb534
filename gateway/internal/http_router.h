// Exact-match routing of HTTP requests to handlers, with the transport's
// 404/405/500 answers.
//
// What: a table (path -> method -> handler) built once, then read-only.
// Why: kept apart from the Beast-based server so routing rules are tested
// without sockets and the server's .cc stays about I/O.
// How: HttpServer adds every Options::route at Create, then calls Dispatch
// for each parsed request on its I/O threads.
//
// Thread-safety: Add is not thread-safe; after the last Add, Dispatch may be
// called concurrently (handlers must then be thread-safe themselves).
#ifndef KEPLER_GATEWAY_INTERNAL_HTTP_ROUTER_H_
#define KEPLER_GATEWAY_INTERNAL_HTTP_ROUTER_H_

#include <functional>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gateway/http_message.h"

namespace kepler::model::gateway::internal {

class HttpRouter {
 public:
  // Builds the response for a transport error (404, 405, 500).
  using ErrorFn = std::function<HttpResponse(int status, absl::string_view)>;

  // Registers `handler` for exactly `method` and `path`. InvalidArgument for
  // a missing handler or a pair already registered.
  [[nodiscard]] absl::Status Add(const std::string& method,
                                 const std::string& path, HttpHandler handler);

  // Runs the handler for request.method and request.path. Unknown path:
  // error(404). Known path, other method: error(405) plus an Allow header
  // listing the path's methods. A handler exception: error(500) naming it.
  HttpResponse Dispatch(const HttpRequest& request, const ErrorFn& error) const;

 private:
  using Methods = std::map<std::string, HttpHandler>;

  static HttpResponse NotAllowed(const Methods& methods,
                                 const HttpRequest& request,
                                 const ErrorFn& error);

  std::map<std::string, Methods> routes_;
};

}  // namespace kepler::model::gateway::internal

#endif  // KEPLER_GATEWAY_INTERNAL_HTTP_ROUTER_H_
