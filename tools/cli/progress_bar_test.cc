#include "tools/cli/progress_bar.h"

#include <sstream>

#include "gtest/gtest.h"

namespace kepler::model::tools::cli {
namespace {

TEST(ProgressBarTest, RendersFilledCellsCountAndPercent) {
  EXPECT_EQ(ProgressBar::Render(3, 10, "train BPFOnly", 10),
            "[###.......]   3/10   30%  train BPFOnly");
  EXPECT_EQ(ProgressBar::Render(10, 10, "done", 4), "[####]  10/10  100%  done");
  EXPECT_EQ(ProgressBar::Render(12, 10, "x", 4), "[####]  12/10  100%  x") << "clamped bar";
  EXPECT_EQ(ProgressBar::Render(0, 0, "reading captures", 4), "[....]  reading captures");
}

TEST(ProgressBarTest, RedrawsOnlyOnChangeAndCoversTheLongerPreviousLine) {
  std::ostringstream out;
  {
    ProgressBar bar(&out, true, 4);
    bar.Update(0, 0, "a long stage label");
    bar.Update(1, 2, "short");
    bar.Update(1, 2, "short");  // unchanged: no redraw
    bar.Update(2, 2, "short");
  }  // the destructor ends the line
  std::string first = "\r[....]  a long stage label";
  std::string second = "\r[##..]  1/2   50%  short";
  std::string padding(first.size() - second.size(), ' ');
  EXPECT_EQ(out.str(), first + second + padding + "\r[####]  2/2  100%  short\n");
}

TEST(ProgressBarTest, DisabledBarWritesNothing) {
  std::ostringstream out;
  ProgressBar bar(&out, false);
  bar.Update(1, 2, "x");
  bar.Finish();
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace kepler::model::tools::cli
