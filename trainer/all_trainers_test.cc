#include <algorithm>

#include "core/trainer_name.h"
#include "gtest/gtest.h"
#include "trainer/trainer.h"

namespace kepler::model::trainer {
namespace {

TEST(AllTrainersTest, EveryFamilyOfTheContractIsRegistered) {
  std::vector<v1::TrainerName> expected = core::AllTrainers();
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(RegisteredTrainers(), expected);
  for (v1::TrainerName name : expected) {
    auto trainer = MakeTrainer(name, {});
    ASSERT_TRUE(trainer.ok()) << trainer.status();
    EXPECT_EQ((*trainer)->name(), name);
  }
}

}  // namespace
}  // namespace kepler::model::trainer
