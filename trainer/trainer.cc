#include "trainer/trainer.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "core/trainer_name.h"

namespace kepler::model::trainer {
namespace {

struct Registry {
  absl::Mutex mu;
  std::map<v1::TrainerName, TrainerFamily> families ABSL_GUARDED_BY(mu);
};

Registry& GlobalRegistry() {
  static Registry* registry = new Registry;  // never destroyed: used from static initialisers
  return *registry;
}

absl::StatusOr<TrainerFamily> FindFamily(v1::TrainerName name) {
  Registry& registry = GlobalRegistry();
  absl::MutexLock lock(&registry.mu);
  auto it = registry.families.find(name);
  if (it == registry.families.end()) {
    return absl::NotFoundError(
        absl::StrCat("no trainer registered for ", core::TrainerNameString(name)));
  }
  return it->second;
}

}  // namespace

absl::StatusOr<v1::ComponentWeights> Trainer::WeightComponent(
    absl::string_view /*component*/, const std::vector<std::string>& /*features*/,
    const std::vector<double>& /*scale*/) const {
  return absl::UnimplementedError(
      absl::StrCat(core::TrainerNameString(name()), " has no weight document"));
}

absl::Status RegisterTrainer(v1::TrainerName name, TrainerFamily family) {
  if (!family.make || !family.load) {
    return absl::InvalidArgumentError("trainer family needs make and load functions");
  }
  Registry& registry = GlobalRegistry();
  absl::MutexLock lock(&registry.mu);
  if (!registry.families.emplace(name, std::move(family)).second) {
    return absl::AlreadyExistsError(
        absl::StrCat("trainer ", core::TrainerNameString(name), " registered twice"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Trainer>> MakeTrainer(v1::TrainerName name,
                                                     const TrainerContext& context) {
  absl::StatusOr<TrainerFamily> family = FindFamily(name);
  if (!family.ok()) return family.status();
  return family->make(context);
}

absl::StatusOr<std::unique_ptr<Trainer>> LoadTrainer(v1::TrainerName name, absl::string_view json,
                                                     const TrainerContext& context) {
  absl::StatusOr<TrainerFamily> family = FindFamily(name);
  if (!family.ok()) return family.status();
  return family->load(json, context);
}

std::vector<v1::TrainerName> RegisteredTrainers() {
  Registry& registry = GlobalRegistry();
  absl::MutexLock lock(&registry.mu);
  std::vector<v1::TrainerName> names;
  for (const auto& [name, family] : registry.families) names.push_back(name);
  return names;
}

namespace internal {

bool RegisterOrDie(v1::TrainerName name, TrainerFamily family) {
  const absl::Status status = RegisterTrainer(name, std::move(family));
  if (!status.ok()) {
    std::fprintf(stderr, "fatal: %s\n", status.ToString().c_str());
    std::abort();
  }
  return true;
}

}  // namespace internal
}  // namespace kepler::model::trainer
