#include "tools/load/proc_status.h"

#include <unistd.h>

#include "gtest/gtest.h"

namespace kepler::model::tools {
namespace {

TEST(ParseProcStatusTest, ReadsResidentAndPeak) {
  auto usage = ParseProcStatus(
      "Name:\tkepler-model-se\nVmPeak:\t  300000 kB\nVmHWM:\t   20640 kB\n"
      "VmRSS:\t   19644 kB\nThreads:\t4\n");
  ASSERT_TRUE(usage.ok()) << usage.status();
  EXPECT_EQ(usage->rss_kb, 19644);
  EXPECT_EQ(usage->hwm_kb, 20640);
}

TEST(ParseProcStatusTest, KernelThreadsHaveNoMemoryLines) {
  EXPECT_EQ(ParseProcStatus("Name:\tkthreadd\nThreads:\t1\n").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ParseProcStatusTest, RejectsOtherUnits) {
  EXPECT_FALSE(ParseProcStatus("VmHWM:\t 1 MB\nVmRSS:\t 1 MB\n").ok());
}

TEST(ReadMemoryUsageTest, ReadsThisProcess) {
  auto usage = ReadMemoryUsage(getpid());
  ASSERT_TRUE(usage.ok()) << usage.status();
  EXPECT_GT(usage->rss_kb, 0);
  EXPECT_GE(usage->hwm_kb, usage->rss_kb);
}

TEST(ReadMemoryUsageTest, MissingProcessIsNotFound) {
  EXPECT_EQ(ReadMemoryUsage(-1).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace kepler::model::tools
