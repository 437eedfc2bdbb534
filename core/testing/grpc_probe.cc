#include "core/testing/grpc_probe.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/client_context.h"

namespace kepler::model::core::test_util {
namespace {

namespace health = ::grpc::health::v1;
namespace reflection = ::grpc::reflection::v1alpha;

void SetDeadline(grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
}

absl::Status FromGrpc(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

}  // namespace

absl::StatusOr<bool> HealthServing(std::shared_ptr<grpc::Channel> channel,
                                   const std::string& service) {
  health::HealthCheckRequest request;
  request.set_service(service);
  health::HealthCheckResponse response;
  grpc::ClientContext context;
  SetDeadline(&context);
  grpc::Status status = health::Health::NewStub(channel)->Check(&context, request, &response);
  if (!status.ok()) return FromGrpc(status);
  return response.status() == health::HealthCheckResponse::SERVING;
}

absl::StatusOr<std::vector<std::string>> ReflectedServices(std::shared_ptr<grpc::Channel> channel) {
  grpc::ClientContext context;
  SetDeadline(&context);
  auto stub = reflection::ServerReflection::NewStub(channel);
  auto stream = stub->ServerReflectionInfo(&context);
  reflection::ServerReflectionRequest request;
  request.set_list_services("*");
  reflection::ServerReflectionResponse response;
  // A failed write or read shows up in Finish() as the stream's status.
  bool answered = stream->Write(request) && stream->WritesDone() && stream->Read(&response);
  grpc::Status status = stream->Finish();
  if (!status.ok()) return FromGrpc(status);
  if (!answered) return absl::InternalError("reflection stream ended without an answer");
  if (response.has_error_response()) {
    const auto& error = response.error_response();
    return absl::InternalError(
        absl::StrCat("reflection error ", error.error_code(), ": ", error.error_message()));
  }
  if (!response.has_list_services_response()) {
    return absl::InternalError("reflection answered something other than a service list");
  }
  std::vector<std::string> names;
  for (const auto& service : response.list_services_response().service()) {
    names.push_back(service.name());
  }
  return names;
}

}  // namespace kepler::model::core::test_util
