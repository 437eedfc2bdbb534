// Aligned plain-text tables for terminal output (inspect, train's summary).
//
// What: RenderTable lays out a header and rows in columns separated by two spaces; a column
// whose cells are all numbers (or empty, or "-") is right-aligned, others left-aligned; the
// header is underlined with dashes. No trailing spaces.
// Why: people read these tables in a terminal and compare errors down a column.
//
// Thread-safety: a pure function.
#ifndef KEPLER_TOOLS_CLI_TEXT_TABLE_H_
#define KEPLER_TOOLS_CLI_TEXT_TABLE_H_

#include <string>
#include <vector>

namespace kepler::model::tools::cli {

// Rows shorter than the header are padded with empty cells.
std::string RenderTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows);

// A number with `decimals` places ("12.30"); "-" for NaN.
std::string FormatFixed(double value, int decimals = 2);

}  // namespace kepler::model::tools::cli

#endif  // KEPLER_TOOLS_CLI_TEXT_TABLE_H_
