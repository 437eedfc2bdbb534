#include "core/config.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace kepler::model::core {
namespace {

absl::optional<std::string> ReadStripped(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(text.str()));
}

absl::optional<std::string> NonEmpty(absl::optional<std::string> value) {
  if (!value.has_value()) return absl::nullopt;
  std::string stripped(absl::StripAsciiWhitespace(*value));
  if (stripped.empty()) return absl::nullopt;
  return stripped;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ParseModelConfig(absl::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    line = line.substr(0, line.find('#'));
    size_t eq = line.find('=');
    if (eq == absl::string_view::npos) continue;
    std::string key(absl::StripAsciiWhitespace(line.substr(0, eq)));
    if (key.empty()) continue;
    out.emplace_back(key, std::string(absl::StripAsciiWhitespace(line.substr(eq + 1))));
  }
  return out;
}

Config::Config(std::string config_dir, EnvLookup env)
    : config_dir_(std::move(config_dir)), env_(std::move(env)) {
  if (auto text = LookupWithoutOverlay("MODEL_CONFIG")) {
    for (auto& [key, value] : ParseModelConfig(*text)) model_config_[key] = value;
  }
}

Config Config::FromMap(std::map<std::string, std::string> env, std::string config_dir) {
  return Config(std::move(config_dir),
                [env = std::move(env)](const std::string& key) -> absl::optional<std::string> {
                  auto it = env.find(key);
                  if (it == env.end()) return absl::nullopt;
                  return it->second;
                });
}

Config Config::FromProcess(const std::string& config_dir_flag) {
  EnvLookup env = [](const std::string& key) -> absl::optional<std::string> {
    const char* value = std::getenv(key.c_str());
    if (value == nullptr) return absl::nullopt;
    return std::string(value);
  };
  std::string dir = config_dir_flag;
  if (dir.empty()) dir = NonEmpty(env("CONFIG_PATH")).value_or(std::string(kDefaultConfigDir));
  return Config(dir, env);
}

absl::optional<std::string> Config::LookupWithoutOverlay(const std::string& key) const {
  // A key naming a path would escape the config folder.
  if (!config_dir_.empty() && key.find('/') == std::string::npos) {
    if (auto from_file = NonEmpty(ReadStripped(config_dir_ + "/" + key))) return from_file;
  }
  return env_ ? NonEmpty(env_(key)) : absl::nullopt;
}

absl::optional<std::string> Config::Lookup(const std::string& key) const {
  auto it = model_config_.find(key);
  if (it == model_config_.end() || it->second.empty()) return LookupWithoutOverlay(key);
  if (!config_dir_.empty() && key.find('/') == std::string::npos) {
    if (auto from_file = NonEmpty(ReadStripped(config_dir_ + "/" + key))) return from_file;
  }
  return it->second;
}

std::string Config::GetString(const std::string& key, const std::string& default_value) const {
  return Lookup(key).value_or(default_value);
}

bool Config::GetBool(const std::string& key, bool default_value) const {
  auto value = Lookup(key);
  return value.has_value() ? *value == "true" : default_value;
}

long long Config::GetInt(const std::string& key, long long default_value) const {
  long long parsed = 0;
  auto value = Lookup(key);
  return value.has_value() && absl::SimpleAtoi(*value, &parsed) ? parsed : default_value;
}

double Config::GetDouble(const std::string& key, double default_value) const {
  double parsed = 0;
  auto value = Lookup(key);
  return value.has_value() && absl::SimpleAtod(*value, &parsed) ? parsed : default_value;
}

std::vector<std::string> Config::GetList(const std::string& key,
                                         const std::vector<std::string>& default_value) const {
  auto value = Lookup(key);
  if (!value.has_value()) return default_value;
  std::vector<std::string> out;
  for (absl::string_view item : absl::StrSplit(*value, ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) out.emplace_back(item);
  }
  return out;
}

}  // namespace kepler::model::core
