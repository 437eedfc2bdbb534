// A one-line text progress bar for long kepler-model work (training, fetching, plotting).
//
// What: Update(done, total, label) redraws one line on the stream, e.g.
//   "\r[#########...............]  12/40  30%  train BPFOnly SGDRegressorTrainer"
// padded with spaces to cover the previous line; Finish() ends the line. A disabled bar writes
// nothing, so callers never branch on it.
// Why: a training of every trainer over every group takes minutes; the user should see it move.
// The bar goes to stderr so stdout stays parseable, and is drawn only on a terminal or when
// asked for (--progress): logs and pipes get no carriage returns.
// How: construct with the stream and whether it is enabled (WantProgress in command.h), call
// Update from any thread as work completes, then Finish. A redraw happens only when the text
// changes, so calling Update per row is cheap on the stream.
//
// Thread-safety: Update and Finish may be called from many threads; they are serialised. The
// stream is not owned and must outlive the bar.
#ifndef KEPLER_TOOLS_CLI_PROGRESS_BAR_H_
#define KEPLER_TOOLS_CLI_PROGRESS_BAR_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace kepler::model::tools::cli {

class ProgressBar {
 public:
  // `width` is the number of cells between the brackets.
  ProgressBar(std::ostream* out, bool enabled, int width = 30);
  ~ProgressBar();

  // Shows `done` of `total` (total <= 0: an empty bar and the label, for a stage
  // whose size is not known yet) and `label`.
  void Update(int64_t done, int64_t total, absl::string_view label);
  // Ends the line when anything was drawn. Idempotent; the destructor calls it.
  void Finish();

  // The line Update would draw, without the leading '\r' or padding (for tests).
  static std::string Render(int64_t done, int64_t total, absl::string_view label, int width);

 private:
  std::ostream* out_;
  const bool enabled_;
  const int width_;
  absl::Mutex mu_;
  std::string last_ ABSL_GUARDED_BY(mu_);
  bool drawn_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_PROGRESS_BAR_H_
