// End to end: the kepler-model binary's dispatch, --version, and --help of every subcommand.
#include "gtest/gtest.h"
#include "tools/cli/testing/cli_runner.h"

namespace kepler::model::tools::cli {
namespace {

using testing::CliResult;
using testing::RunKeplerModel;

const char* const kCommands[] = {"query",   "train",    "extract", "isolate",
                                 "inspect", "estimate", "export",  "plot"};

TEST(KeplerModelTest, ListsEveryCommand) {
  CliResult r = RunKeplerModel({"--help"});
  ASSERT_EQ(r.exit_code, 0);
  for (const char* command : kCommands) {
    EXPECT_NE(r.out.find(std::string("\n  ") + command + " "), std::string::npos) << command;
  }
  CliResult help = RunKeplerModel({"help"});
  EXPECT_EQ(help.out, r.out);
}

TEST(KeplerModelTest, EveryCommandHasHelp) {
  for (const char* command : kCommands) {
    CliResult r = RunKeplerModel({command, "--help"});
    EXPECT_EQ(r.exit_code, 0) << command << ": " << r.err;
    EXPECT_EQ(r.out.rfind(std::string("Usage: kepler-model ") + command + " [flags]", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("Example"), std::string::npos) << command;
    CliResult via_help = RunKeplerModel({"help", command});
    EXPECT_EQ(via_help.out, r.out) << command;
  }
}

TEST(KeplerModelTest, UnknownOrMissingCommandsAreUsageErrors) {
  CliResult none = RunKeplerModel({});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("Usage: kepler-model <command>"), std::string::npos);
  CliResult bogus = RunKeplerModel({"frobnicate"});
  EXPECT_EQ(bogus.exit_code, 2);
  EXPECT_NE(bogus.err.find("unknown command 'frobnicate'"), std::string::npos) << bogus.err;
}

TEST(KeplerModelTest, PrintsTheVersion) {
  CliResult r = RunKeplerModel({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("kepler-model ", 0), 0u) << r.out;
}

}  // namespace
}  // namespace kepler::model::tools::cli
