#include "tools/cli/progress_bar.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace kepler::model::tools::cli {

ProgressBar::ProgressBar(std::ostream* out, bool enabled, int width)
    : out_(out), enabled_(enabled && out != nullptr), width_(std::max(1, width)) {}

ProgressBar::~ProgressBar() { Finish(); }

std::string ProgressBar::Render(int64_t done, int64_t total, absl::string_view label, int width) {
  int64_t clamped = total > 0 ? std::clamp<int64_t>(done, 0, total) : 0;
  int filled = total > 0 ? static_cast<int>(clamped * width / total) : 0;
  std::string bar =
      absl::StrCat("[", std::string(filled, '#'), std::string(width - filled, '.'), "]");
  if (total <= 0) return absl::StrCat(bar, "  ", label);
  return absl::StrCat(
      bar, "  ", absl::StrFormat("%*d/%d", std::to_string(total).size(), done, total), "  ",
      absl::StrFormat("%3d%%", static_cast<int>(clamped * 100 / total)), "  ", label);
}

void ProgressBar::Update(int64_t done, int64_t total, absl::string_view label) {
  if (!enabled_) return;
  std::string line = Render(done, total, label, width_);
  absl::MutexLock lock(&mu_);
  if (drawn_ && line == last_) return;
  std::string padding(last_.size() > line.size() ? last_.size() - line.size() : 0, ' ');
  *out_ << "\r" << line << padding << std::flush;
  last_ = std::move(line);
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (!enabled_) return;
  absl::MutexLock lock(&mu_);
  if (!drawn_) return;
  *out_ << "\n" << std::flush;
  drawn_ = false;
  last_.clear();
}

}  // namespace kepler::model::tools::cli
