#include "core/json_fields.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "core/json_util.h"

namespace kepler::model::core {
namespace {

absl::Status Bad(absl::string_view key, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("member '", key, "' ", what));
}

absl::StatusOr<const rapidjson::Value*> Member(const rapidjson::Value& object,
                                               absl::string_view key) {
  const rapidjson::Value* value = FindMember(object, key);
  if (value == nullptr) return Bad(key, "is missing");
  return value;
}

rapidjson::Value Key(absl::string_view key, rapidjson::Document::AllocatorType& allocator) {
  return rapidjson::Value(key.data(), static_cast<rapidjson::SizeType>(key.size()), allocator);
}

}  // namespace

absl::StatusOr<double> GetNumber(const rapidjson::Value& object, absl::string_view key) {
  absl::StatusOr<const rapidjson::Value*> value = Member(object, key);
  if (!value.ok()) return value.status();
  if (!(*value)->IsNumber() || !std::isfinite((*value)->GetDouble())) {
    return Bad(key, "is not a finite number");
  }
  return (*value)->GetDouble();
}

absl::StatusOr<int64_t> GetInteger(const rapidjson::Value& object, absl::string_view key) {
  absl::StatusOr<double> number = GetNumber(object, key);
  if (!number.ok()) return number.status();
  if (*number != std::trunc(*number) || std::fabs(*number) > 9.0e15) {
    return Bad(key, "is not an integer");
  }
  return static_cast<int64_t>(*number);
}

absl::StatusOr<std::string> GetString(const rapidjson::Value& object, absl::string_view key) {
  absl::StatusOr<const rapidjson::Value*> value = Member(object, key);
  if (!value.ok()) return value.status();
  if (!(*value)->IsString()) return Bad(key, "is not a string");
  return std::string(StringView(**value));
}

absl::StatusOr<std::vector<double>> GetNumberList(const rapidjson::Value& object,
                                                  absl::string_view key) {
  absl::StatusOr<const rapidjson::Value*> value = Member(object, key);
  if (!value.ok()) return value.status();
  if (!(*value)->IsArray()) return Bad(key, "is not a list of numbers");
  std::vector<double> out;
  for (const rapidjson::Value& item : (*value)->GetArray()) {
    if (!item.IsNumber() || !std::isfinite(item.GetDouble())) {
      return Bad(key, "is not a list of finite numbers");
    }
    out.push_back(item.GetDouble());
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> GetStringList(const rapidjson::Value& object,
                                                       absl::string_view key) {
  absl::StatusOr<const rapidjson::Value*> value = Member(object, key);
  if (!value.ok()) return value.status();
  if (!(*value)->IsArray()) return Bad(key, "is not a list of strings");
  std::vector<std::string> out;
  for (const rapidjson::Value& item : (*value)->GetArray()) {
    if (!item.IsString()) return Bad(key, "is not a list of strings");
    out.emplace_back(StringView(item));
  }
  return out;
}

void AddString(rapidjson::Value* object, absl::string_view key, absl::string_view value,
               rapidjson::Document::AllocatorType& allocator) {
  object->AddMember(Key(key, allocator), Key(value, allocator), allocator);
}

void AddNumber(rapidjson::Value* object, absl::string_view key, double value,
               rapidjson::Document::AllocatorType& allocator) {
  object->AddMember(Key(key, allocator), rapidjson::Value(value), allocator);
}

void AddInteger(rapidjson::Value* object, absl::string_view key, int64_t value,
                rapidjson::Document::AllocatorType& allocator) {
  object->AddMember(Key(key, allocator), rapidjson::Value(value), allocator);
}

void AddNumberList(rapidjson::Value* object, absl::string_view key,
                   const std::vector<double>& values,
                   rapidjson::Document::AllocatorType& allocator) {
  rapidjson::Value list(rapidjson::kArrayType);
  for (double v : values) list.PushBack(rapidjson::Value(v), allocator);
  object->AddMember(Key(key, allocator), list, allocator);
}

void AddStringList(rapidjson::Value* object, absl::string_view key,
                   const std::vector<std::string>& values,
                   rapidjson::Document::AllocatorType& allocator) {
  rapidjson::Value list(rapidjson::kArrayType);
  for (const std::string& v : values) list.PushBack(Key(v, allocator), allocator);
  object->AddMember(Key(key, allocator), list, allocator);
}

}  // namespace kepler::model::core
