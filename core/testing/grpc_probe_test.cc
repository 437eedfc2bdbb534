// HealthServing and ReflectedServices against an in-process gRPC server with gRPC's default
// health service and without reflection (the plugin cannot be linked here, see grpc_probe.h);
// the binaries' integration tests probe reflection.
#include "core/testing/grpc_probe.h"

#include <memory>

#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "gtest/gtest.h"

namespace kepler::model::core::test_util {
namespace {

class GrpcProbeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    // A server needs one service of its own; this one answers UNIMPLEMENTED to every method.
    builder.RegisterCallbackGenericService(&unimplemented_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port, 0);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::InsecureChannelCredentials());
  }
  void TearDown() override { server_->Shutdown(); }

  grpc::CallbackGenericService unimplemented_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(GrpcProbeTest, HealthIsTrueOnlyForServing) {
  auto whole = HealthServing(channel_, "");
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_TRUE(*whole);
  server_->GetHealthCheckService()->SetServingStatus("kepler.Test", false);
  auto down = HealthServing(channel_, "kepler.Test");
  ASSERT_TRUE(down.ok()) << down.status();
  EXPECT_FALSE(*down);
  server_->GetHealthCheckService()->SetServingStatus("kepler.Test", true);
  EXPECT_TRUE(*HealthServing(channel_, "kepler.Test"));
}

TEST_F(GrpcProbeTest, UnknownServiceIsNotFound) {
  EXPECT_EQ(HealthServing(channel_, "kepler.Nope").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(GrpcProbeTest, ServerWithoutReflectionIsUnimplemented) {
  auto services = ReflectedServices(channel_);
  EXPECT_EQ(services.status().code(), absl::StatusCode::kUnimplemented) << services.status();
}

TEST_F(GrpcProbeTest, NothingListeningIsUnavailable) {
  server_->Shutdown();
  EXPECT_EQ(HealthServing(channel_, "").status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReflectedServices(channel_).status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace kepler::model::core::test_util
