#include "tools/cli/flag_set.h"

#include "gtest/gtest.h"

namespace kepler::model::tools::cli {
namespace {

struct Values {
  std::string output = "out";
  int threads = 0;
  uint64_t seed = 7;
  double step = 3;
  bool progress = false;
  std::vector<std::string> trainers = {"all"};
};

FlagSet Declare(Values& v) {
  FlagSet flags("train", "Train a pipeline.", "CAPTURE...");
  flags.String("output", &v.output, "Where to write.");
  flags.Int("threads", &v.threads, "Worker threads.");
  flags.Uint64("seed", &v.seed, "Seed.");
  flags.Double("step", &v.step, "Step.");
  flags.Bool("progress", &v.progress, "Draw a bar (default: on a terminal).");
  flags.List("trainers", &v.trainers, "Trainers.");
  return flags;
}

TEST(FlagSetTest, ParsesEverySpellingAndKeepsPositionals) {
  Values v;
  FlagSet flags = Declare(v);
  auto positional = flags.Parse({"a.json", "--output=/tmp/p", "--threads", "4", "--seed=9",
                                 "--step", "0.5", "--progress", "--trainers=SGD, Linear",
                                 "--trainers", "Xgboost", "b.json", "--", "--c.json"});
  ASSERT_TRUE(positional.ok()) << positional.status();
  EXPECT_EQ(*positional, (std::vector<std::string>{"a.json", "b.json", "--c.json"}));
  EXPECT_EQ(v.output, "/tmp/p");
  EXPECT_EQ(v.threads, 4);
  EXPECT_EQ(v.seed, 9u);
  EXPECT_EQ(v.step, 0.5);
  EXPECT_TRUE(v.progress);
  EXPECT_EQ(v.trainers, (std::vector<std::string>{"SGD", "Linear", "Xgboost"}));
  EXPECT_TRUE(flags.WasSet("threads"));
  EXPECT_FALSE(flags.help_requested());
}

TEST(FlagSetTest, AcceptsUnderscoresAndExplicitBools) {
  Values v;
  v.progress = true;
  FlagSet flags = Declare(v);
  flags.Int("node-type", &v.threads, "Node type.");
  ASSERT_TRUE(flags.Parse({"--progress=false", "--node_type=-1"}).ok());
  EXPECT_FALSE(v.progress);
  EXPECT_EQ(v.threads, -1);
  EXPECT_TRUE(flags.WasSet("node-type"));
  EXPECT_FALSE(flags.WasSet("output"));
}

TEST(FlagSetTest, RejectsBadCommandLinesNamingTheFlag) {
  auto error = [](std::vector<std::string> args) {
    Values v;
    FlagSet flags = Declare(v);
    return std::string(flags.Parse(args).status().message());
  };
  EXPECT_EQ(error({"--bogus"}), "unknown flag --bogus");
  EXPECT_EQ(error({"--threads=four"}), "--threads=four: expected an integer");
  EXPECT_EQ(error({"--seed=-1"}), "--seed=-1: expected a non-negative integer");
  EXPECT_EQ(error({"--progress=maybe"}), "--progress=maybe: expected true or false");
  EXPECT_EQ(error({"--output"}), "--output needs a value");
  EXPECT_EQ(error({"--output=a", "--output=b"}), "--output given twice");
}

TEST(FlagSetTest, HelpStopsParsingAndUsageListsFlagsWithDefaults) {
  Values v;
  FlagSet flags = Declare(v);
  flags.set_description("Example: kepler-model train x.json");
  ASSERT_TRUE(flags.Parse({"--threads=2", "--help", "--bogus"}).ok());
  EXPECT_TRUE(flags.help_requested());
  std::string usage = flags.Usage();
  EXPECT_EQ(usage.rfind("Usage: kepler-model train [flags] CAPTURE...\n\nTrain a pipeline.\n", 0),
            0u)
      << usage;
  EXPECT_NE(usage.find("Example: kepler-model train x.json"), std::string::npos);
  EXPECT_NE(usage.find("  --output=VALUE\n      Where to write. (default: out)\n"),
            std::string::npos)
      << usage;
  EXPECT_NE(usage.find("  --progress\n      Draw a bar (default: on a terminal).\n"),
            std::string::npos)
      << usage;
  EXPECT_NE(usage.find("(default: all)"), std::string::npos);
  EXPECT_NE(usage.find("  --help\n"), std::string::npos);
}

}  // namespace
}  // namespace kepler::model::tools::cli
