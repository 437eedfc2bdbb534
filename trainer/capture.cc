#include "trainer/capture.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/file_util.h"
#include "rapidjson/error/en.h"
#include "rapidjson/memorystream.h"
#include "rapidjson/reader.h"
#include "trainer/internal/capture_handler.h"
#include "trainer/internal/string_pool.h"

namespace kepler::model::trainer {

absl::string_view SeriesTable::Label(size_t series, absl::string_view name) const {
  uint32_t id = pool_->Find(name);
  if (id == internal::StringPool::kNotFound) return {};
  for (uint32_t i = label_offsets_[series]; i < label_offsets_[series + 1]; ++i) {
    if (labels_[i].name == id) return pool_->Get(labels_[i].value);
  }
  return {};
}

std::vector<std::pair<absl::string_view, absl::string_view>> SeriesTable::Labels(
    size_t series) const {
  std::vector<std::pair<absl::string_view, absl::string_view>> out;
  for (uint32_t i = label_offsets_[series]; i < label_offsets_[series + 1]; ++i) {
    out.emplace_back(pool_->Get(labels_[i].name), pool_->Get(labels_[i].value));
  }
  return out;
}

absl::Span<const double> SeriesTable::Timestamps(size_t series) const {
  size_t begin = sample_offsets_[series];
  return absl::MakeConstSpan(timestamps_.data() + begin, sample_offsets_[series + 1] - begin);
}

absl::Span<const double> SeriesTable::Values(size_t series) const {
  size_t begin = sample_offsets_[series];
  return absl::MakeConstSpan(values_.data() + begin, sample_offsets_[series + 1] - begin);
}

Capture::Capture() : pool_(std::make_unique<internal::StringPool>()) {}
Capture::Capture(Capture&&) noexcept = default;
Capture& Capture::operator=(Capture&&) noexcept = default;
Capture::~Capture() = default;

absl::StatusOr<Capture> Capture::Parse(absl::string_view json, const ParseOptions& options) {
  Capture capture;
  internal::CaptureHandler handler(&capture, options);
  rapidjson::Reader reader;
  rapidjson::MemoryStream stream(json.data(), json.size());
  constexpr unsigned kFlags = rapidjson::kParseFullPrecisionFlag |
                              rapidjson::kParseNanAndInfFlag | rapidjson::kParseIterativeFlag;
  rapidjson::ParseResult result = reader.Parse<kFlags>(stream, handler);
  if (!handler.status().ok()) return handler.status();
  if (result.IsError()) {
    return absl::InvalidArgumentError(
        absl::StrCat(handler.Where(), "capture is not valid JSON at offset ", result.Offset(),
                     ": ", rapidjson::GetParseError_En(result.Code())));
  }
  if (!handler.done()) return absl::InvalidArgumentError("capture is empty");
  return capture;
}

absl::StatusOr<Capture> Capture::ReadFile(const std::string& path, const ParseOptions& options) {
  absl::StatusOr<std::string> text = core::ReadFile(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<Capture> capture = Parse(*text, options);
  if (!capture.ok()) {
    return absl::Status(capture.status().code(),
                        absl::StrCat(path, ": ", capture.status().message()));
  }
  return capture;
}

const SeriesTable* Capture::Find(absl::string_view query) const {
  auto it = index_.find(query);
  return it == index_.end() ? nullptr : tables_[it->second].get();
}

bool Capture::HasData(absl::string_view query) const {
  const SeriesTable* table = Find(query);
  return table != nullptr && !table->empty();
}

std::vector<std::string> Capture::QueryNames() const {
  std::vector<std::string> names;
  names.reserve(tables_.size());
  for (const auto& table : tables_) names.push_back(table->query());
  std::sort(names.begin(), names.end());
  return names;
}

size_t Capture::num_samples() const {
  size_t total = 0;
  for (const auto& table : tables_) total += table->num_samples();
  return total;
}

}  // namespace kepler::model::trainer
