#include "core/model_filter.h"

#include "gtest/gtest.h"

namespace kepler::model::core {
namespace {

v1::ModelMetadata Model(double mae, double mape, std::vector<std::string> features) {
  v1::ModelMetadata metadata;
  (*metadata.mutable_attributes())["mae"] = mae;
  (*metadata.mutable_attributes())["mape"] = mape;
  for (auto& feature : features) metadata.add_features(feature);
  return metadata;
}

TEST(ModelFilterTest, EmptyFilterAcceptsEverything) {
  auto filter = ModelFilter::Parse("");
  ASSERT_TRUE(filter.ok());
  EXPECT_TRUE(filter->empty());
  EXPECT_TRUE(filter->Accepts(v1::ModelMetadata()));
}

TEST(ModelFilterTest, ErrorsMustBeAtMostTheThreshold) {
  auto filter = ModelFilter::Parse("mae:10; mape:20;");
  ASSERT_TRUE(filter.ok()) << filter.status();
  EXPECT_TRUE(filter->Accepts(Model(10, 5, {})));
  EXPECT_FALSE(filter->Accepts(Model(10.01, 5, {})));
  EXPECT_FALSE(filter->Accepts(Model(1, 21, {})));
}

TEST(ModelFilterTest, CorrelationMustBeAtLeastTheThreshold) {
  auto filter = ModelFilter::Parse("abs_max_corr:0.5");
  ASSERT_TRUE(filter.ok()) << filter.status();
  v1::ModelMetadata model = Model(1, 1, {});
  EXPECT_FALSE(filter->Accepts(model)) << "a model without the attribute does not pass";
  (*model.mutable_attributes())["abs_max_corr"] = 0.7;
  EXPECT_TRUE(filter->Accepts(model));
  (*model.mutable_attributes())["abs_max_corr"] = 0.3;
  EXPECT_FALSE(filter->Accepts(model));
}

TEST(ModelFilterTest, FeaturesRestrictToModelsUsingOnlyThose) {
  auto filter = ModelFilter::Parse("features:bpf_cpu_time_ms, bpf_page_cache_hit");
  ASSERT_TRUE(filter.ok()) << filter.status();
  EXPECT_TRUE(filter->Accepts(Model(1, 1, {"bpf_cpu_time_ms"})));
  EXPECT_TRUE(filter->Accepts(Model(1, 1, {"bpf_cpu_time_ms", "bpf_page_cache_hit"})));
  EXPECT_FALSE(filter->Accepts(Model(1, 1, {"bpf_cpu_time_ms", "cpu_cycles"})));
}

TEST(ModelFilterTest, PerComponentErrorsAreKnown) {
  auto filter = ModelFilter::Parse("dram_mae:5");
  ASSERT_TRUE(filter.ok()) << filter.status();
  v1::ModelMetadata model = Model(1, 1, {});
  (*model.mutable_attributes())["dram_mae"] = 3.17;
  EXPECT_TRUE(filter->Accepts(model));
}

TEST(ModelFilterTest, BadItemsAreErrorsNamingThem) {
  auto unknown = ModelFilter::Parse("accuracy:3");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("accuracy"), std::string::npos);
  auto number = ModelFilter::Parse("mae:low");
  ASSERT_FALSE(number.ok());
  EXPECT_NE(number.status().message().find("low"), std::string::npos);
  EXPECT_FALSE(ModelFilter::Parse("mae").ok());
  EXPECT_FALSE(ModelFilter::Parse("mae:1:2").ok());
  EXPECT_FALSE(ModelFilter::Parse("mae:nan").ok());
}

}  // namespace
}  // namespace kepler::model::core
