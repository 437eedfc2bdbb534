#include "core/host_spec.h"

#include <cmath>
#include <regex>
#include <set>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "core/file_util.h"
#include "core/status_macros.h"

namespace kepler::model::core {
namespace {

constexpr char kDefaultSpecFile[] = "/etc/kepler/models/machine/spec.json";

// "key : value" of a /proc line; false when the line has no colon.
bool SplitProcLine(absl::string_view line, absl::string_view* key, absl::string_view* value) {
  size_t colon = line.find(':');
  if (colon == absl::string_view::npos) return false;
  *key = absl::StripAsciiWhitespace(line.substr(0, colon));
  *value = absl::StripAsciiWhitespace(line.substr(colon + 1));
  return true;
}

struct CpuInfo {
  std::string brand, vendor;
  double mhz = 0;
  int processors = 0, siblings = 0, cores = 0;
  std::set<std::string> physical_ids;
};

CpuInfo ParseCpuInfo(absl::string_view text) {
  CpuInfo info;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::string_view key, value;
    if (!SplitProcLine(line, &key, &value)) continue;
    if (key == "processor") ++info.processors;
    if (key == "model name" && info.brand.empty()) info.brand = std::string(value);
    if (key == "vendor_id" && info.vendor.empty()) info.vendor = std::string(value);
    if (key == "physical id") info.physical_ids.insert(std::string(value));
    if (key == "cpu MHz" && info.mhz == 0) (void)absl::SimpleAtod(value, &info.mhz);
    if (key == "siblings" && info.siblings == 0) (void)absl::SimpleAtoi(value, &info.siblings);
    if (key == "cpu cores" && info.cores == 0) (void)absl::SimpleAtoi(value, &info.cores);
  }
  return info;
}

double MemoryGiB(absl::string_view meminfo) {
  for (absl::string_view line : absl::StrSplit(meminfo, '\n')) {
    absl::string_view key, value;
    if (!SplitProcLine(line, &key, &value) || key != "MemTotal") continue;
    double kib = 0;
    if (absl::SimpleAtod(absl::StripSuffix(value, " kB"), &kib)) {
      return std::floor(kib / (1024.0 * 1024.0));
    }
  }
  return 0;
}

}  // namespace

v1::MachineSpec HostSpec::ToProto() const {
  v1::MachineSpec proto = NodeSpecToProto(spec);
  proto.set_vendor(vendor);
  proto.set_threads_per_core(threads_per_core);
  return proto;
}

std::string NormalizeProcessorName(absl::string_view brand) {
  std::string name = absl::AsciiStrToLower(brand);
  name = std::regex_replace(name, std::regex(R"(\(r\)|\(tm\)|\(c\))"), "");
  name = std::regex_replace(name, std::regex(R"(@.*$)"), "");
  name = std::regex_replace(name, std::regex(R"(\([^)]*\))"), "");
  name = std::regex_replace(name, std::regex(R"(\b(cpu|processor)\b)"), "");
  name = std::regex_replace(name, std::regex(R"(\b[0-9.]+\s*[gm]hz\b)"), "");
  name = std::string(absl::StripAsciiWhitespace(name));
  name = std::regex_replace(name, std::regex(R"([\s\-]+)"), "_");
  return absl::StrReplaceAll(name, {{"_v", "v"}});
}

HostSpec HostSpecFromProc(absl::string_view cpuinfo, absl::string_view meminfo) {
  CpuInfo info = ParseCpuInfo(cpuinfo);
  HostSpec host;
  host.logical_cpus = info.processors > 0 ? info.processors
                                          : static_cast<int>(std::thread::hardware_concurrency());
  if (!info.brand.empty()) host.spec.processor = NormalizeProcessorName(info.brand);
  if (host.logical_cpus > 0) host.spec.cores = host.logical_cpus;
  host.spec.chips = std::max<size_t>(1, info.physical_ids.size());
  double memory = MemoryGiB(meminfo);
  if (memory > 0) host.spec.memory = memory;
  if (info.mhz > 0) host.spec.frequency = std::round(info.mhz / 100) * 100;
  std::vector<std::string> vendor = absl::StrSplit(info.vendor, ' ', absl::SkipEmpty());
  if (!vendor.empty()) host.vendor = absl::AsciiStrToLower(vendor[0]);
  if (info.cores > 0) host.threads_per_core = std::max(1, info.siblings / info.cores);
  return host;
}

absl::StatusOr<HostSpec> ReadHostSpec(const std::string& spec_file) {
  auto cpuinfo = ReadFile("/proc/cpuinfo");
  auto meminfo = ReadFile("/proc/meminfo");
  HostSpec host = HostSpecFromProc(cpuinfo.ok() ? *cpuinfo : "", meminfo.ok() ? *meminfo : "");
  std::string path = spec_file;
  if (path.empty() && FileExists(kDefaultSpecFile)) path = kDefaultSpecFile;
  if (path.empty()) return host;
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  auto spec = ParseNodeSpecJson(text);
  if (!spec.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", spec.status().message()));
  }
  host.spec = *spec;
  return host;
}

}  // namespace kepler::model::core
