// Reading and writing small CSV files (metric rows for `estimate`, model lists for `export`).
//
// What: ParseCsv reads RFC 4180 text — a header row, then rows of the same width; fields may be
// quoted ("a,b", "say ""hi"""); lines end in LF or CRLF; a final newline is optional; blank
// lines are skipped. CsvField quotes a field when it must. NumericColumns turns named columns
// into numbers.
// Why: users hand `estimate` CSVs written by spreadsheets, pandas or `kepler-model extract`.
//
// Thread-safety: pure functions.
#ifndef KEPLER_TOOLS_CLI_CSV_TABLE_H_
#define KEPLER_TOOLS_CLI_CSV_TABLE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kepler::model::tools::cli {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  // Position of column `name` in the header, or -1.
  int Column(absl::string_view name) const;
};

// InvalidArgument naming the line for a row of another width, an unterminated quote, or an
// empty input (no header).
absl::StatusOr<CsvTable> ParseCsv(absl::string_view text);

// `field`, quoted when it holds a comma, quote, CR or LF.
std::string CsvField(absl::string_view field);

// The values of `columns` as numbers, row-major (row r, column c at r * columns.size() + c).
// InvalidArgument naming a missing column, or the line and column of a cell that is not a
// number.
absl::StatusOr<std::vector<double>> NumericColumns(const CsvTable& table,
                                                   const std::vector<std::string>& columns);

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_CSV_TABLE_H_
