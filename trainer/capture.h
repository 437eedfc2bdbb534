// A Prometheus capture of Kepler metrics, parsed once into columnar tables (contract §5.1).
//
// What: a capture maps query (metric) names to range-query results. Two JSON shapes are read:
//   * the offline trainer's capture, an object `{query: [series, ...], ...}` (idle.json), where a
//     query's value may also be a whole Prometheus HTTP API response
//     (`{"status":"success","data":{"resultType":"matrix","result":[series, ...]}}`);
//   * a single Prometheus HTTP API response at the top level; its series are filed under
//     ParseOptions::query_name, or under their `__name__` label when that is empty.
// A series is `{"metric": {label: value}, "values": [[timestamp, "value"], ...]}`; values are
// strings as Prometheus writes them ("7150.525", "NaN", "+Inf", "-Inf") or plain JSON numbers.
// Why: captures reach tens of megabytes (an hour of 100 containers at a 3 s step is ~30 MB); the
// extractor wants contiguous numbers, not a DOM of small strings.
// How: RapidJSON's SAX reader drives a small state machine. Label strings are interned once per
// capture; each query keeps its series' timestamps and values in two contiguous double arrays
// (series i owns [offset(i), offset(i+1))), so no sample ever allocates on its own.
// Errors name the query and the problem: not JSON (with the byte offset), wrong shapes, a series
// with no values, timestamps that are not strictly increasing within a series, a Prometheus error
// response, or a non-matrix result.
//
// Thread-safety: a Capture is immutable after Parse and safe to read from many threads. Tables
// and string views handed out live as long as the Capture (moving a Capture keeps them valid).
#ifndef KEPLER_TRAINER_CAPTURE_H_
#define KEPLER_TRAINER_CAPTURE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace kepler::model::trainer {

namespace internal {
class StringPool;
class CaptureHandler;
}  // namespace internal

// The series of one query. Series keep the order of the input; labels of a series are sorted by
// name.
class SeriesTable {
 public:
  // The query (metric) name this table was filed under.
  const std::string& query() const { return query_; }
  size_t num_series() const { return sample_offsets_.size() - 1; }
  // Total number of samples over all series.
  size_t num_samples() const { return timestamps_.size(); }
  bool empty() const { return num_series() == 0; }

  // Value of label `name` on `series`; "" when the series has no such label (Prometheus treats
  // an empty label as an absent one).
  absl::string_view Label(size_t series, absl::string_view name) const;
  // All labels of `series` as (name, value), sorted by name.
  std::vector<std::pair<absl::string_view, absl::string_view>> Labels(size_t series) const;

  // Sample times (seconds, strictly increasing) and values of `series`, index-aligned.
  absl::Span<const double> Timestamps(size_t series) const;
  absl::Span<const double> Values(size_t series) const;

 private:
  friend class internal::CaptureHandler;
  struct LabelRef {
    uint32_t name;
    uint32_t value;
  };
  SeriesTable(std::string query, const internal::StringPool* pool)
      : query_(std::move(query)), pool_(pool) {}

  std::string query_;
  const internal::StringPool* pool_;          // owned by the Capture
  std::vector<uint32_t> label_offsets_{0};    // series i: labels_[off[i], off[i+1])
  std::vector<LabelRef> labels_;
  std::vector<size_t> sample_offsets_{0};     // series i: samples [off[i], off[i+1])
  std::vector<double> timestamps_;
  std::vector<double> values_;
};

// How Parse reads a capture.
struct ParseOptions {
  // For a top-level Prometheus API response: the query its series belong to. Empty (default):
  // each series goes to the table named by its `__name__` label (an error when it has none).
  std::string query_name;
};

class Capture {
 public:
  Capture(Capture&&) noexcept;
  Capture& operator=(Capture&&) noexcept;
  ~Capture();

  // Parses `json` (either shape above). InvalidArgument with the query and the problem.
  [[nodiscard]] static absl::StatusOr<Capture> Parse(absl::string_view json,
                                                     const ParseOptions& options = {});
  // Reads and parses the file at `path`; errors from reading keep their code and name the path.
  [[nodiscard]] static absl::StatusOr<Capture> ReadFile(const std::string& path,
                                                        const ParseOptions& options = {});

  // The table of `query`, or nullptr when the capture has no such query. A query whose result
  // was empty has a table with no series.
  const SeriesTable* Find(absl::string_view query) const;
  // True when `query` is present with at least one series (the reference drops empty results).
  bool HasData(absl::string_view query) const;
  // Query names, sorted.
  std::vector<std::string> QueryNames() const;
  size_t num_queries() const { return tables_.size(); }
  // Total samples over all queries.
  size_t num_samples() const;

 private:
  friend class internal::CaptureHandler;
  Capture();

  std::unique_ptr<internal::StringPool> pool_;
  std::vector<std::unique_ptr<SeriesTable>> tables_;
  absl::flat_hash_map<std::string, size_t> index_;  // query -> tables_ position
};

}  // namespace kepler::model::trainer

#endif  // KEPLER_TRAINER_CAPTURE_H_
