#include "gateway/internal/http_router.h"

#include <exception>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace kepler::model::gateway::internal {

absl::Status HttpRouter::Add(const std::string& method, const std::string& path,
                             HttpHandler handler) {
  if (!handler) {
    return absl::InvalidArgumentError(
        absl::StrCat("no handler for ", method, " ", path));
  }
  if (!routes_[path].emplace(method, std::move(handler)).second) {
    return absl::InvalidArgumentError(
        absl::StrCat("duplicate route ", method, " ", path));
  }
  return absl::OkStatus();
}

HttpResponse HttpRouter::Dispatch(const HttpRequest& request,
                                  const ErrorFn& error) const {
  auto by_path = routes_.find(request.path);
  if (by_path == routes_.end()) {
    return error(404, absl::StrCat("no such path: ", request.path));
  }
  auto by_method = by_path->second.find(request.method);
  if (by_method == by_path->second.end()) {
    return NotAllowed(by_path->second, request, error);
  }
  try {
    return by_method->second(request);
  } catch (const std::exception& e) {
    return error(500, absl::StrCat("request handler failed: ", e.what()));
  } catch (...) {
    return error(500, "request handler failed");
  }
}

HttpResponse HttpRouter::NotAllowed(const Methods& methods,
                                    const HttpRequest& request,
                                    const ErrorFn& error) {
  std::vector<std::string> allowed;
  for (const auto& entry : methods) allowed.push_back(entry.first);
  HttpResponse response =
      error(405, absl::StrCat("method ", request.method, " not allowed for ",
                              request.path));
  response.headers.emplace_back("Allow", absl::StrJoin(allowed, ", "));
  return response;
}

}  // namespace kepler::model::gateway::internal
