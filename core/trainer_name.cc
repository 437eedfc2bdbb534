#include "core/trainer_name.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace kepler::model::core {
namespace {

const std::vector<std::pair<v1::TrainerName, const char*>>& Names() {
  static const auto* names = new std::vector<std::pair<v1::TrainerName, const char*>>{
      {v1::PolynomialRegressionTrainer, "PolynomialRegressionTrainer"},
      {v1::GradientBoostingRegressorTrainer, "GradientBoostingRegressorTrainer"},
      {v1::KNeighborsRegressorTrainer, "KNeighborsRegressorTrainer"},
      {v1::LinearRegressionTrainer, "LinearRegressionTrainer"},
      {v1::SVRRegressorTrainer, "SVRRegressorTrainer"},
      {v1::XgboostFitTrainer, "XgboostFitTrainer"},
      {v1::SGDRegressorTrainer, "SGDRegressorTrainer"},
      {v1::LogarithmicRegressionTrainer, "LogarithmicRegressionTrainer"},
      {v1::LogisticRegressionTrainer, "LogisticRegressionTrainer"},
      {v1::ExponentialRegressionTrainer, "ExponentialRegressionTrainer"},
  };
  return *names;
}

}  // namespace

const std::vector<v1::TrainerName>& AllTrainers() {
  static const auto* all = [] {
    auto* out = new std::vector<v1::TrainerName>;
    for (const auto& [trainer, name] : Names()) out->push_back(trainer);
    return out;
  }();
  return *all;
}

absl::optional<v1::TrainerName> ParseTrainerName(absl::string_view name) {
  for (const auto& [trainer, trainer_name] : Names()) {
    if (name == trainer_name) return trainer;
  }
  return absl::nullopt;
}

std::string TrainerNameString(v1::TrainerName trainer) {
  for (const auto& [candidate, name] : Names()) {
    if (candidate == trainer) return name;
  }
  return "";
}

bool IsCurveFitTrainer(absl::string_view trainer) {
  return trainer == "LogarithmicRegressionTrainer" || trainer == "LogisticRegressionTrainer" ||
         trainer == "ExponentialRegressionTrainer";
}

bool IsWeightSupportTrainer(absl::string_view trainer) {
  return trainer == "SGDRegressorTrainer" || IsCurveFitTrainer(trainer);
}

absl::optional<ModelName> ParseModelName(absl::string_view name) {
  size_t first = name.find('_');
  size_t last = name.rfind('_');
  if (first == absl::string_view::npos || first == 0) return absl::nullopt;
  int node_type = 0;
  if (!absl::SimpleAtoi(name.substr(last + 1), &node_type)) return absl::nullopt;
  return ModelName{std::string(name.substr(0, first)), node_type};
}

std::string MakeModelName(absl::string_view trainer, int node_type) {
  return absl::StrCat(trainer, "_", node_type);
}

absl::Status ValidatePipelineName(absl::string_view name) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad pipeline name '", name, "': ", why));
  };
  if (name.empty()) return bad("empty");
  if (name.size() > 128) return bad("too long");
  if (name[0] == '.') return bad("starts with '.'");
  if (absl::StrContains(name, "..")) return bad("contains '..'");
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '_' && c != '-' && c != '+' &&
        c != '.') {
      return bad("only letters, digits and _-+. are allowed");
    }
  }
  return absl::OkStatus();
}

}  // namespace kepler::model::core
