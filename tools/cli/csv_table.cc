#include "tools/cli/csv_table.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace kepler::model::tools::cli {
namespace {

// Splits CSV text into records of fields, remembering the line each record starts on.
class RecordSplitter {
 public:
  absl::Status Split(absl::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      bool doubled_quote = c == '"' && i + 1 < text.size() && text[i + 1] == '"';
      if (quoted_) {
        if (doubled_quote) ++i;
        if (c == '"' && !doubled_quote) {
          quoted_ = false;
        } else {
          field_ += c;
          line_ += c == '\n';
        }
      } else if (c == '"') {
        quoted_ = touched_ = true;
      } else if (c == ',') {
        record_.push_back(std::move(field_));
        field_.clear();
        touched_ = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        EndRecord();
        start_ = ++line_;
      } else {
        field_ += c;
      }
    }
    if (quoted_)
      return absl::InvalidArgumentError(absl::StrCat("line ", start_, ": unterminated quote"));
    EndRecord();
    return absl::OkStatus();
  }

  std::vector<std::vector<std::string>> records;
  std::vector<int> lines;

 private:
  void EndRecord() {
    bool blank = record_.empty() && field_.empty() && !touched_;
    record_.push_back(std::move(field_));
    field_.clear();
    if (!blank) {
      records.push_back(std::move(record_));
      lines.push_back(start_);
    }
    record_.clear();
    touched_ = false;
  }

  std::vector<std::string> record_;
  std::string field_;
  bool quoted_ = false;
  bool touched_ = false;  // a quote or separator was seen in this record
  int line_ = 1;
  int start_ = 1;
};

}  // namespace

int CsvTable::Column(absl::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

absl::StatusOr<CsvTable> ParseCsv(absl::string_view text) {
  RecordSplitter splitter;
  absl::Status split = splitter.Split(text);
  if (!split.ok()) return split;
  std::vector<std::vector<std::string>>& records = splitter.records;
  const std::vector<int>& lines = splitter.lines;
  if (records.empty()) return absl::InvalidArgumentError("the CSV is empty (no header row)");
  CsvTable table;
  table.header = std::move(records[0]);
  for (std::string& name : table.header) name = std::string(absl::StripAsciiWhitespace(name));
  for (size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != table.header.size()) {
      return absl::InvalidArgumentError(absl::StrCat("line ", lines[r], ": ", records[r].size(),
                                                     " fields, the header has ",
                                                     table.header.size()));
    }
    table.rows.push_back(std::move(records[r]));
  }
  return table;
}

std::string CsvField(absl::string_view field) {
  if (field.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

absl::StatusOr<std::vector<double>> NumericColumns(const CsvTable& table,
                                                   const std::vector<std::string>& columns) {
  std::vector<int> index;
  for (const std::string& name : columns) {
    int column = table.Column(name);
    if (column < 0)
      return absl::InvalidArgumentError(absl::StrCat("the CSV has no column '", name, "'"));
    index.push_back(column);
  }
  std::vector<double> values;
  values.reserve(table.rows.size() * columns.size());
  for (size_t r = 0; r < table.rows.size(); ++r) {
    for (size_t c = 0; c < columns.size(); ++c) {
      double value;
      if (!absl::SimpleAtod(absl::StripAsciiWhitespace(table.rows[r][index[c]]), &value)) {
        return absl::InvalidArgumentError(absl::StrCat("data row ", r + 1, ", column '", columns[c],
                                                       "': '", table.rows[r][index[c]],
                                                       "' is not a number"));
      }
      values.push_back(value);
    }
  }
  return values;
}

}  // namespace kepler::model::tools::cli
