#include "gateway/request_metrics.h"

#include "gtest/gtest.h"

namespace kepler::model::gateway {
namespace {

TEST(RequestMetricsTest, CountsByRouteAndStatus) {
  RequestMetrics metrics("kms");
  metrics.Record("/model", 200, 0.0003);
  metrics.Record("/model", 200, 0.002);
  metrics.Record("/model", 400, 0.0001);
  std::string text = metrics.Text();
  EXPECT_NE(text.find("kms_requests_total{route=\"/model\",status=\"200\"} 2\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("kms_requests_total{route=\"/model\",status=\"400\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE kms_request_duration_seconds histogram"), std::string::npos);
}

TEST(RequestMetricsTest, HistogramBucketsAreCumulative) {
  RequestMetrics metrics("kms");
  metrics.Record("/best-models", 200, 0.0003);  // <= 0.0005
  metrics.Record("/best-models", 200, 0.02);    // <= 0.025
  std::string text = metrics.Text();
  EXPECT_NE(text.find("_bucket{route=\"/best-models\",le=\"0.00025\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("_bucket{route=\"/best-models\",le=\"0.0005\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("_bucket{route=\"/best-models\",le=\"0.025\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("_bucket{route=\"/best-models\",le=\"+Inf\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("_count{route=\"/best-models\"} 2\n"), std::string::npos);
}

TEST(RequestMetricsTest, EscapesRouteLabels) {
  RequestMetrics metrics("kms");
  metrics.Record("/a\"b", 404, 0.001);
  EXPECT_NE(metrics.Text().find("route=\"/a\\\"b\""), std::string::npos) << metrics.Text();
}

}  // namespace
}  // namespace kepler::model::gateway
