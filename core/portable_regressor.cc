#include "core/portable_regressor.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/gradient_boosting_model.h"
#include "core/json_util.h"
#include "core/knn_model.h"
#include "core/status_macros.h"
#include "core/svr_model.h"
#include "core/xgboost_model.h"

namespace kepler::model::core {
namespace {

// The "model" member of a JSON object, or "" when there is none.
std::string ModelNameOf(const rapidjson::Document& doc) {
  if (!doc.IsObject()) return "";
  auto it = doc.FindMember("model");
  if (it == doc.MemberEnd() || !it->value.IsString()) return "";
  return std::string(StringView(it->value));
}

bool IsKnownFamily(absl::string_view model) {
  return model == kGradientBoostingModelName || model == kKNeighborsModelName ||
         model == kSvrModelName;
}

// xgboost's own JSON model: {"learner": {...}, "version": [1, 7, 4]}.
bool IsXgboostJson(const rapidjson::Document& doc) {
  return doc.IsObject() && doc.HasMember("learner") && !doc.HasMember("model");
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Regressor>> ParsePortableRegressor(absl::string_view json) {
  ASSIGN_OR_RETURN(rapidjson::Document doc, ParseJson(json));
  if (!doc.IsObject()) return absl::InvalidArgumentError("model file is not a JSON object");
  if (IsXgboostJson(doc)) return MakeXgboostRegressor(std::string(json));
  const std::string model = ModelNameOf(doc);
  if (model == kGradientBoostingModelName) {
    ASSIGN_OR_RETURN(GradientBoostingParams params, GradientBoostingFromJson(json));
    return MakeGradientBoostingRegressor(std::move(params));
  }
  if (model == kKNeighborsModelName) {
    ASSIGN_OR_RETURN(KNeighborsParams params, KNeighborsFromJson(json));
    return MakeKNeighborsRegressor(std::move(params));
  }
  if (model == kSvrModelName) {
    ASSIGN_OR_RETURN(SvrParams params, SvrFromJson(json));
    return MakeSvrRegressor(std::move(params));
  }
  return absl::UnimplementedError(
      absl::StrCat("unsupported model format: portable model \"", model, "\""));
}

bool IsPortableRegressorJson(absl::string_view json) {
  auto doc = ParseJson(json);
  return doc.ok() && (IsKnownFamily(ModelNameOf(*doc)) || IsXgboostJson(*doc));
}

}  // namespace kepler::model::core
