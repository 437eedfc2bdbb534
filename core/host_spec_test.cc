#include "core/host_spec.h"

#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

TEST(HostSpecTest, NormalizesProcessorNamesAsKeplerDoes) {
  EXPECT_EQ(NormalizeProcessorName("Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz"),
            "intel_xeon_platinum_8259cl");
  EXPECT_EQ(NormalizeProcessorName("Intel(R) Xeon(R) CPU E5-2686 v4 @ 2.30GHz"),
            "intel_xeon_e5_2686v4");
  EXPECT_EQ(NormalizeProcessorName("AMD EPYC 7R13 Processor"), "amd_epyc_7r13");
  EXPECT_EQ(NormalizeProcessorName("Intel(R) Xeon(R) Processor"), "intel_xeon");
}

constexpr char kCpuInfo[] = R"(processor	: 0
vendor_id	: GenuineIntel
model name	: Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz
cpu MHz		: 3148.602
physical id	: 0
siblings	: 2
cpu cores	: 1

processor	: 1
vendor_id	: GenuineIntel
model name	: Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz
cpu MHz		: 2499.998
physical id	: 1
siblings	: 2
cpu cores	: 1
)";

TEST(HostSpecTest, DiscoversFromProcText) {
  HostSpec host = HostSpecFromProc(kCpuInfo, "MemTotal:       395895944 kB\nMemFree: 1 kB\n");
  EXPECT_EQ(host.spec.processor, "intel_xeon_platinum_8259cl");
  EXPECT_EQ(host.spec.cores, 2);
  EXPECT_EQ(host.logical_cpus, 2);
  EXPECT_EQ(host.spec.chips, 2);
  EXPECT_EQ(host.spec.memory, 377);
  EXPECT_EQ(host.spec.frequency, 3100);
  EXPECT_EQ(host.vendor, "genuineintel");
  EXPECT_EQ(host.threads_per_core, 2);
  v1::MachineSpec proto = host.ToProto();
  EXPECT_EQ(proto.vendor(), "genuineintel");
  EXPECT_EQ(proto.memory(), 377);
}

TEST(HostSpecTest, ExplicitFileWinsButLogicalCpusAreDiscovered) {
  auto host = ReadHostSpec("testdata/prom/machine_spec.json");
  ASSERT_TRUE(host.ok()) << host.status();
  EXPECT_EQ(host->spec.processor, "intel_xeon_platinum_8259cl");
  EXPECT_EQ(host->spec.cores, 96);
  EXPECT_GT(host->logical_cpus, 0);
  EXPECT_FALSE(ReadHostSpec("/nonexistent/spec.json").ok());
}

TEST(HostSpecTest, DiscoveryOnThisHostFindsSomething) {
  auto host = ReadHostSpec("");
  ASSERT_TRUE(host.ok());
  EXPECT_GT(host->logical_cpus, 0);
  EXPECT_TRUE(host->spec.cores.has_value());
}

}  // namespace
}  // namespace kepler::model::core
