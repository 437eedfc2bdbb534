// Asking a running gRPC server, from integration tests, what every binary promises beside its
// typed service: health checking (grpc.health.v1) and server reflection (grpc.reflection.v1alpha).
//
// What: two one-shot client calls over a channel the test made ("127.0.0.1:<port>" or
// "unix:<path>"), each with a 10 s deadline.
// Why: the binaries register both with gRPC's own plugins; only a real client over a real channel
// shows they are served, and which names they answer for.
// How:
//   auto channel = grpc::CreateChannel("unix:" + path, grpc::InsecureChannelCredentials());
//   EXPECT_TRUE(*HealthServing(channel, "kepler.model.v1.Estimator"));
//   EXPECT_THAT(*ReflectedServices(channel), Contains("grpc.health.v1.Health"));
// A binary using these must not link libgrpc++_reflection (the server plugin), which carries its
// own compiled copy of the reflection messages (//third_party/system:grpcpp_reflection).
// Thread-safety: both functions may be called from any thread; channels are shared pointers.
#ifndef KEPLER_CORE_TESTING_GRPC_PROBE_H_
#define KEPLER_CORE_TESTING_GRPC_PROBE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"

namespace kepler::model::core::test_util {

// Health Check of `service` ("" for the whole server): true when SERVING, false for any other
// status (NOT_SERVING, UNKNOWN). The RPC's error otherwise, as an absl::Status with the same code
// (NOT_FOUND for a service the server has no status for, UNAVAILABLE when nothing listens).
absl::StatusOr<bool> HealthServing(std::shared_ptr<grpc::Channel> channel,
                                   const std::string& service);

// Full names of the services the server reflects, in its order, from one list_services request
// on a ServerReflectionInfo stream. The RPC's error, or Internal when the server answers an
// error_response or something other than a service list.
absl::StatusOr<std::vector<std::string>> ReflectedServices(std::shared_ptr<grpc::Channel> channel);

}  // namespace kepler::model::core::test_util

#endif  // KEPLER_CORE_TESTING_GRPC_PROBE_H_
