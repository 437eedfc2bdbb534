#include "tools/cli/flag_set.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace kepler::model::tools::cli {
namespace {

std::string Normalize(absl::string_view name) { return absl::StrReplaceAll(name, {{"_", "-"}}); }

absl::Status BadValue(absl::string_view flag, absl::string_view value, absl::string_view want) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, "=", value, ": expected ", want));
}

absl::StatusOr<bool> ParseBool(absl::string_view text) {
  std::string lower = absl::AsciiStrToLower(text);
  if (lower == "true" || lower == "1" || lower == "yes") return true;
  if (lower == "false" || lower == "0" || lower == "no") return false;
  return absl::InvalidArgumentError("not a bool");
}

// Appends `text` to `out` wrapped at `width` columns, each line indented by `indent`.
void AppendWrapped(std::string* out, absl::string_view text, size_t indent, size_t width) {
  std::string line(indent, ' ');
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (line.size() > indent && line.size() + 1 + word.size() > width) {
      absl::StrAppend(out, line, "\n");
      line.assign(indent, ' ');
    }
    if (line.size() > indent) line += ' ';
    absl::StrAppend(&line, word);
  }
  if (line.size() > indent) absl::StrAppend(out, line, "\n");
}

}  // namespace

FlagSet::FlagSet(std::string command, std::string summary, std::string positional)
    : command_(std::move(command)),
      summary_(std::move(summary)),
      positional_(std::move(positional)) {}

void FlagSet::Add(std::string name, Target target, std::string help, std::string default_text) {
  flags_.push_back({Normalize(name), target, std::move(help), std::move(default_text)});
}

void FlagSet::String(std::string name, std::string* value, std::string help) {
  Add(std::move(name), value, std::move(help), *value);
}
void FlagSet::Int(std::string name, int* value, std::string help) {
  Add(std::move(name), value, std::move(help), absl::StrCat(*value));
}
void FlagSet::Uint64(std::string name, uint64_t* value, std::string help) {
  Add(std::move(name), value, std::move(help), absl::StrCat(*value));
}
void FlagSet::Double(std::string name, double* value, std::string help) {
  Add(std::move(name), value, std::move(help), absl::StrCat(*value));
}
void FlagSet::Bool(std::string name, bool* value, std::string help) {
  Add(std::move(name), value, std::move(help), *value ? "true" : "false");
}
void FlagSet::List(std::string name, std::vector<std::string>* value, std::string help) {
  Add(std::move(name), value, std::move(help), absl::StrJoin(*value, ","));
}

FlagSet::Flag* FlagSet::Find(absl::string_view name) {
  std::string wanted = Normalize(name);
  for (Flag& flag : flags_) {
    if (flag.name == wanted) return &flag;
  }
  return nullptr;
}

bool FlagSet::WasSet(absl::string_view name) const {
  std::string wanted = Normalize(name);
  for (const Flag& flag : flags_) {
    if (flag.name == wanted) return flag.set;
  }
  return false;
}

absl::Status FlagSet::Assign(Flag& flag, absl::string_view value) {
  bool is_list = std::holds_alternative<std::vector<std::string>*>(flag.target);
  if (flag.set && !is_list) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag.name, " given twice"));
  }
  if (auto** list = std::get_if<std::vector<std::string>*>(&flag.target)) {
    if (!flag.set) (*list)->clear();  // the first use replaces the default
    for (absl::string_view item : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
      (*list)->emplace_back(absl::StripAsciiWhitespace(item));
    }
  } else if (auto** text = std::get_if<std::string*>(&flag.target)) {
    **text = std::string(value);
  } else if (auto** number = std::get_if<int*>(&flag.target)) {
    if (!absl::SimpleAtoi(value, *number)) return BadValue(flag.name, value, "an integer");
  } else if (auto** big = std::get_if<uint64_t*>(&flag.target)) {
    if (!absl::SimpleAtoi(value, *big)) return BadValue(flag.name, value, "a non-negative integer");
  } else if (auto** real = std::get_if<double*>(&flag.target)) {
    if (!absl::SimpleAtod(value, *real)) return BadValue(flag.name, value, "a number");
  } else if (auto** flag_bool = std::get_if<bool*>(&flag.target)) {
    absl::StatusOr<bool> parsed = ParseBool(value);
    if (!parsed.ok()) return BadValue(flag.name, value, "true or false");
    **flag_bool = *parsed;
  }
  flag.set = true;
  return absl::OkStatus();
}

absl::Status FlagSet::ParseFlag(const std::vector<std::string>& args, size_t* i) {
  absl::string_view arg = args[*i];
  arg.remove_prefix(arg.size() > 1 && arg[1] == '-' ? 2 : 1);
  size_t eq = arg.find('=');
  absl::string_view name = arg.substr(0, eq);
  Flag* flag = Find(name);
  if (flag == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
  }
  if (eq != absl::string_view::npos) return Assign(*flag, arg.substr(eq + 1));
  if (std::holds_alternative<bool*>(flag->target)) return Assign(*flag, "true");
  if (*i + 1 >= args.size()) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag->name, " needs a value"));
  }
  return Assign(*flag, args[++*i]);
}

absl::StatusOr<std::vector<std::string>> FlagSet::Parse(const std::vector<std::string>& args) {
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      positional.insert(positional.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (arg == "-h" || arg == "--help" || arg == "-help") {
      help_requested_ = true;
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      positional.push_back(arg);
      continue;
    }
    absl::Status parsed = ParseFlag(args, &i);
    if (!parsed.ok()) return parsed;
  }
  return positional;
}

std::string FlagSet::Usage() const {
  std::string out = absl::StrCat("Usage: kepler-model ", command_, " [flags]",
                                 positional_.empty() ? "" : " ", positional_, "\n\n");
  AppendWrapped(&out, summary_, 0, 100);
  if (!description_.empty()) absl::StrAppend(&out, "\n", description_, "\n");
  out += "\nFlags:\n";
  for (const Flag& flag : flags_) {
    bool is_bool = std::holds_alternative<bool*>(flag.target);
    absl::StrAppend(&out, "  --", flag.name, is_bool ? "" : "=VALUE", "\n");
    std::string help = flag.help;
    if (!flag.default_text.empty() && !absl::StrContains(help, "(default")) {
      absl::StrAppend(&help, " (default: ", flag.default_text, ")");
    }
    AppendWrapped(&out, help, 6, 100);
  }
  out += "  --help\n      Print this help and exit.\n";
  return out;
}

}  // namespace kepler::model::tools::cli
