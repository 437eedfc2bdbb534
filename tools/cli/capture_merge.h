// Merging several captures of the same node into one capture.
//
// What: MergeCaptures returns the JSON of one capture (the offline trainer's `{query: [series]}`
// shape) holding every query of every input. Series of a query with the same labels (the same
// container, package, mode, ...) become one series whose samples are the union in time order; a
// timestamp present in several inputs keeps the sample of the first input that has it.
// Why: `kepler-model train` accepts several capture files (e.g. consecutive query windows, or a
// workload run split into files) and the reference's CLI concatenates the data of several queries.
// The pipeline takes one Capture, and the extractor turns counters into rates per series, so
// joining at the series level keeps each counter continuous; concatenating extracted tables
// would instead lose the first row of every input.
// How: parse each file with Capture::ReadFile, call MergeCaptures, parse the result.
// Caveat: at the seam between two inputs separated by a gap, the first row's rates (and power)
// are averages over the gap; counters that went backwards (a Kepler restart, another node) are
// handled as the extractor handles resets. Merging captures of different nodes mixes their series
// (use one training per node type, or --node-type).
//
// Thread-safety: a pure function of its inputs.
#ifndef KEPLER_TOOLS_CLI_CAPTURE_MERGE_H_
#define KEPLER_TOOLS_CLI_CAPTURE_MERGE_H_

#include <string>
#include <vector>

#include "trainer/capture.h"

namespace kepler::model::tools::cli {

// The merged capture's JSON (queries sorted by name; labels sorted; sample values written as
// Prometheus does, e.g. "7150.525", "NaN", "+Inf"). Inputs are not owned.
std::string MergeCaptures(const std::vector<const trainer::Capture*>& captures);

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_CAPTURE_MERGE_H_
