#include "tools/cli/text_table.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"

namespace kepler::model::tools::cli {
namespace {

bool IsNumeric(const std::string& cell) {
  double ignored;
  return cell.empty() || cell == "-" || absl::SimpleAtod(cell, &ignored);
}

void AppendRow(std::string* out, const std::vector<std::string>& cells,
               const std::vector<size_t>& widths, const std::vector<bool>& right) {
  std::string line;
  for (size_t c = 0; c < widths.size(); ++c) {
    const std::string cell = c < cells.size() ? cells[c] : "";
    std::string pad(widths[c] - cell.size(), ' ');
    if (c > 0) line += "  ";
    line += right[c] ? pad + cell : cell + pad;
  }
  line.erase(line.find_last_not_of(' ') + 1);
  *out += line + "\n";
}

}  // namespace

std::string RenderTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size());
  std::vector<bool> right(header.size(), !rows.empty());
  for (size_t c = 0; c < header.size(); ++c) {
    widths[c] = header[c].size();
    for (const auto& row : rows) {
      if (c >= row.size()) continue;
      widths[c] = std::max(widths[c], row[c].size());
      right[c] = right[c] && IsNumeric(row[c]);
    }
  }
  std::string out;
  AppendRow(&out, header, widths, right);
  std::vector<std::string> rules;
  for (size_t width : widths) rules.push_back(std::string(width, '-'));
  AppendRow(&out, rules, widths, right);
  for (const auto& row : rows) AppendRow(&out, row, widths, right);
  return out;
}

std::string FormatFixed(double value, int decimals) {
  if (std::isnan(value)) return "-";
  return absl::StrFormat("%.*f", decimals, value);
}

}  // namespace kepler::model::tools::cli
