// Configuration lookup (contract §8.1, §8.3).
//
// A key's value comes from, in order: the file `<config_dir>/<KEY>` (a Kubernetes ConfigMap
// mount; stripped content), the `MODEL_CONFIG` overlay (KEY=VALUE lines, §8.3), the process
// environment, then the caller's default. An empty value counts as unset. Only the exact string
// "true" is true, as in the reference.
//
// Binaries build one Config in main() and copy what they need into their Options structs;
// libraries never read the environment themselves. Config is immutable after construction and
// safe to share between threads.
#ifndef KEPLER_CORE_CONFIG_H_
#define KEPLER_CORE_CONFIG_H_

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"

namespace kepler::model::core {

// Default of CONFIG_PATH.
inline constexpr absl::string_view kDefaultConfigDir = "/etc/kepler/kepler.config";

// Parses a MODEL_CONFIG block: lines trimmed, empty and `#` lines skipped, text after `#` dropped,
// split on the first `=` only (the reference drops text after a second `=`, §11.12).
std::vector<std::pair<std::string, std::string>> ParseModelConfig(absl::string_view text);

class Config {
 public:
  // Looks up an environment variable; returns nullopt when unset.
  using EnvLookup = std::function<absl::optional<std::string>(const std::string&)>;

  // `config_dir`: the one-file-per-key folder. `env`: the environment (tests pass a fake).
  // MODEL_CONFIG, looked up through the same rule, is parsed into the overlay.
  Config(std::string config_dir, EnvLookup env);

  // A configuration whose environment is `env` (tests, embedding); `config_dir` may be empty.
  static Config FromMap(std::map<std::string, std::string> env, std::string config_dir = "");

  // The process's configuration: config dir from `config_dir_flag` when non-empty, else the
  // CONFIG_PATH environment variable, else kDefaultConfigDir.
  static Config FromProcess(const std::string& config_dir_flag = "");

  // Raw lookup; nullopt when no layer has a non-empty value.
  absl::optional<std::string> Lookup(const std::string& key) const;

  std::string GetString(const std::string& key, const std::string& default_value) const;
  // Exactly "true" is true; any other set value is false.
  bool GetBool(const std::string& key, bool default_value) const;
  // The default when unset or unparsable.
  long long GetInt(const std::string& key, long long default_value) const;
  double GetDouble(const std::string& key, double default_value) const;
  // Comma-separated list, items stripped, empty items dropped.
  std::vector<std::string> GetList(const std::string& key,
                                   const std::vector<std::string>& default_value) const;

  const std::string& config_dir() const { return config_dir_; }

 private:
  absl::optional<std::string> LookupWithoutOverlay(const std::string& key) const;

  std::string config_dir_;
  EnvLookup env_;
  std::map<std::string, std::string> model_config_;
};

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_CONFIG_H_
