#include "core/internal/json_arrays.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/json_util.h"
#include "core/status_macros.h"

namespace kepler::model::core::internal {
namespace {

absl::Status Invalid(absl::string_view key, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("model file: \"", key, "\" ", what));
}

absl::StatusOr<const rapidjson::Value*> Member(const rapidjson::Value& object,
                                               absl::string_view key) {
  if (!object.IsObject()) return Invalid(key, "is in a value that is not an object");
  auto it = object.FindMember(rapidjson::StringRef(key.data(), key.size()));
  if (it == object.MemberEnd()) return Invalid(key, "is missing");
  return &it->value;
}

absl::StatusOr<const rapidjson::Value*> ArrayMember(const rapidjson::Value& object,
                                                    absl::string_view key) {
  ASSIGN_OR_RETURN(const rapidjson::Value* value, Member(object, key));
  if (!value->IsArray()) return Invalid(key, "is not an array");
  return value;
}

// Appends the finite numbers of `array` to `out`.
absl::Status AppendDoubles(const rapidjson::Value& array, absl::string_view key,
                           std::vector<double>* out) {
  for (const rapidjson::Value& item : array.GetArray()) {
    if (!item.IsNumber() || !std::isfinite(item.GetDouble())) {
      return Invalid(key, "holds a value that is not a finite number");
    }
    out->push_back(item.GetDouble());
  }
  return absl::OkStatus();
}

rapidjson::Value Key(rapidjson::Document* doc, absl::string_view key) {
  return rapidjson::Value(key.data(), static_cast<rapidjson::SizeType>(key.size()),
                          doc->GetAllocator());
}

}  // namespace

absl::StatusOr<rapidjson::Document> ParseModelFile(absl::string_view text,
                                                   absl::string_view model) {
  ASSIGN_OR_RETURN(rapidjson::Document doc, ParseJson(text));
  if (!doc.IsObject()) return absl::InvalidArgumentError("model file is not a JSON object");
  ASSIGN_OR_RETURN(const rapidjson::Value* name, Member(doc, "model"));
  if (!name->IsString() || StringView(*name) != model) {
    return absl::InvalidArgumentError(absl::StrCat("model file is not a ", model, " model"));
  }
  ASSIGN_OR_RETURN(int64_t version, GetInt(doc, "format_version", 0, INT32_MAX));
  if (version != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(model, " model file has unsupported format_version ", version));
  }
  return doc;
}

absl::StatusOr<double> GetDouble(const rapidjson::Value& object, absl::string_view key) {
  ASSIGN_OR_RETURN(const rapidjson::Value* value, Member(object, key));
  if (!value->IsNumber() || !std::isfinite(value->GetDouble())) {
    return Invalid(key, "is not a finite number");
  }
  return value->GetDouble();
}

absl::StatusOr<int64_t> GetInt(const rapidjson::Value& object, absl::string_view key, int64_t min,
                               int64_t max) {
  ASSIGN_OR_RETURN(const rapidjson::Value* value, Member(object, key));
  if (!value->IsInt64() || value->GetInt64() < min || value->GetInt64() > max) {
    return Invalid(key, absl::StrCat("is not an integer in [", min, ", ", max, "]"));
  }
  return value->GetInt64();
}

absl::StatusOr<std::vector<double>> GetDoubles(const rapidjson::Value& object,
                                               absl::string_view key) {
  ASSIGN_OR_RETURN(const rapidjson::Value* array, ArrayMember(object, key));
  std::vector<double> out;
  out.reserve(array->Size());
  RETURN_IF_ERROR(AppendDoubles(*array, key, &out));
  return out;
}

absl::StatusOr<std::vector<int32_t>> GetInts(const rapidjson::Value& object, absl::string_view key,
                                             int32_t min, int32_t max) {
  ASSIGN_OR_RETURN(const rapidjson::Value* array, ArrayMember(object, key));
  std::vector<int32_t> out;
  out.reserve(array->Size());
  for (const rapidjson::Value& item : array->GetArray()) {
    if (!item.IsInt() || item.GetInt() < min || item.GetInt() > max) {
      return Invalid(key, absl::StrCat("holds a value that is not an integer in [", min, ", ",
                                       max, "]"));
    }
    out.push_back(item.GetInt());
  }
  return out;
}

absl::StatusOr<std::vector<double>> GetRows(const rapidjson::Value& object, absl::string_view key,
                                            size_t width) {
  ASSIGN_OR_RETURN(const rapidjson::Value* array, ArrayMember(object, key));
  std::vector<double> out;
  out.reserve(array->Size() * width);
  for (const rapidjson::Value& row : array->GetArray()) {
    if (!row.IsArray() || row.Size() != width) {
      return Invalid(key, absl::StrCat("holds a row that is not an array of ", width, " numbers"));
    }
    RETURN_IF_ERROR(AppendDoubles(row, key, &out));
  }
  return out;
}

rapidjson::Document NewModelFile(absl::string_view model) {
  rapidjson::Document doc(rapidjson::kObjectType);
  doc.AddMember("model", Key(&doc, model), doc.GetAllocator());
  doc.AddMember("format_version", 1, doc.GetAllocator());
  return doc;
}

void AddDouble(rapidjson::Document* doc, rapidjson::Value* object, absl::string_view key,
               double value) {
  rapidjson::Value number;
  number.SetDouble(value);
  object->AddMember(Key(doc, key), number, doc->GetAllocator());
}

void AddInt(rapidjson::Document* doc, rapidjson::Value* object, absl::string_view key,
            int64_t value) {
  object->AddMember(Key(doc, key), rapidjson::Value(value), doc->GetAllocator());
}

void AddDoubles(rapidjson::Document* doc, rapidjson::Value* object, absl::string_view key,
                const std::vector<double>& values) {
  rapidjson::Value array(rapidjson::kArrayType);
  array.Reserve(static_cast<rapidjson::SizeType>(values.size()), doc->GetAllocator());
  for (double v : values) array.PushBack(rapidjson::Value().SetDouble(v), doc->GetAllocator());
  object->AddMember(Key(doc, key), array, doc->GetAllocator());
}

void AddInts(rapidjson::Document* doc, rapidjson::Value* object, absl::string_view key,
             const std::vector<int32_t>& values) {
  rapidjson::Value array(rapidjson::kArrayType);
  array.Reserve(static_cast<rapidjson::SizeType>(values.size()), doc->GetAllocator());
  for (int32_t v : values) array.PushBack(v, doc->GetAllocator());
  object->AddMember(Key(doc, key), array, doc->GetAllocator());
}

void AddRows(rapidjson::Document* doc, rapidjson::Value* object, absl::string_view key,
             const std::vector<double>& values, size_t width) {
  rapidjson::Value rows(rapidjson::kArrayType);
  auto& alloc = doc->GetAllocator();
  for (size_t start = 0; width > 0 && start + width <= values.size(); start += width) {
    rapidjson::Value row(rapidjson::kArrayType);
    row.Reserve(static_cast<rapidjson::SizeType>(width), alloc);
    for (size_t j = 0; j < width; ++j) row.PushBack(rapidjson::Value().SetDouble(values[start + j]), alloc);
    rows.PushBack(row, alloc);
  }
  object->AddMember(Key(doc, key), rows, alloc);
}

absl::StatusOr<std::string> ToJsonText(const rapidjson::Document& doc) {
  return WriteJson(doc, JsonWriteOptions::Compact());
}

}  // namespace kepler::model::core::internal
