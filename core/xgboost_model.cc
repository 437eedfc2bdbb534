#include "core/xgboost_model.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "core/status_macros.h"
#include "omp.h"
#include "xgboost/c_api.h"

namespace kepler::model::core {
namespace {

// Inplace prediction settings; "missing": NaN is how xgboost's own Python binding spells it.
constexpr char kPredictConfig[] =
    R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0,)"
    R"( "strict_shape": false, "missing": NaN, "cache_id": 0})";

// libxgboost's last error on this thread, without the stack trace it appends.
absl::Status XgbError(absl::string_view what) {
  absl::string_view error = XGBGetLastError();
  error = error.substr(0, error.find('\n'));
  return absl::InvalidArgumentError(absl::StrCat("xgboost: ", what, ": ", error));
}

// Makes the calling thread's OpenMP loops single-threaded while it lives. libxgboost loads a
// model's trees in an OpenMP loop as wide as the caller's thread count, and the idle workers
// then spin on the cores the service needs: on 2 cores with other work running, that stretched
// the estimator's first answer with the bundled xgboost archive from 43-63 ms to 48-104 ms (no
// difference on an idle machine). Predictions already use nthread=1.
class SingleThreadedOpenMp {
 public:
  SingleThreadedOpenMp() : previous_(omp_get_max_threads()) { omp_set_num_threads(1); }
  ~SingleThreadedOpenMp() { omp_set_num_threads(previous_); }
  SingleThreadedOpenMp(const SingleThreadedOpenMp&) = delete;
  SingleThreadedOpenMp& operator=(const SingleThreadedOpenMp&) = delete;

 private:
  const int previous_;
};

// One loaded booster; predictions on it are serialised.
class Booster {
 public:
  static absl::StatusOr<std::unique_ptr<Booster>> Load(const std::string& bytes) {
    auto booster = std::unique_ptr<Booster>(new Booster());
    if (XGBoosterCreate(nullptr, 0, &booster->handle_) != 0) return XgbError("create");
    SingleThreadedOpenMp single_threaded;
    if (XGBoosterLoadModelFromBuffer(booster->handle_, bytes.data(), bytes.size()) != 0) {
      return XgbError("load model");
    }
    if (XGBoosterSetParam(booster->handle_, "nthread", "1") != 0) return XgbError("nthread");
    if (XGProxyDMatrixCreate(&booster->proxy_) != 0) return XgbError("proxy matrix");
    return booster;
  }

  ~Booster() {
    if (proxy_ != nullptr) XGDMatrixFree(proxy_);
    if (handle_ != nullptr) XGBoosterFree(handle_);
  }

  absl::StatusOr<uint64_t> NumFeatures() const {
    bst_ulong n = 0;
    if (XGBoosterGetNumFeature(handle_, &n) != 0) return XgbError("feature count");
    return n;
  }

  // Predicts `rows` rows of the row-major `x` with `cols` columns.
  absl::StatusOr<std::vector<double>> Predict(const double* x, size_t rows, size_t cols) const {
    const std::string array = absl::StrFormat(
        R"({"data": [%u, true], "shape": [%u, %u], "typestr": "<f8", "version": 3})",
        reinterpret_cast<uintptr_t>(x), rows, cols);
    absl::MutexLock lock(&mu_);
    const bst_ulong* shape = nullptr;
    bst_ulong dim = 0;
    const float* result = nullptr;
    if (XGBoosterPredictFromDense(handle_, array.c_str(), kPredictConfig, proxy_, &shape, &dim,
                                  &result) != 0) {
      return XgbError("predict");
    }
    uint64_t size = 1;
    for (bst_ulong i = 0; i < dim; ++i) size *= shape[i];
    if (size != rows) return absl::InternalError("xgboost: unexpected prediction shape");
    return std::vector<double>(result, result + rows);
  }

 private:
  Booster() = default;

  BoosterHandle handle_ = nullptr;
  // The input wrapper reused by every prediction (under mu_): libxgboost otherwise builds one
  // per call, reading the cgroup CPU quota files each time, a third of a 1-row request's cost.
  DMatrixHandle proxy_ = nullptr;
  mutable absl::Mutex mu_;
};

class XgboostModel final : public Model {
 public:
  struct Component {
    std::unique_ptr<Booster> booster;
    std::vector<size_t> columns;  // into features()
    std::vector<double> scale;    // one per column
  };

  XgboostModel(std::vector<std::string> features, std::vector<std::string> components,
               std::vector<Component> boosters)
      : Model(std::move(features), std::move(components)), boosters_(std::move(boosters)) {}

  absl::string_view family() const override { return "xgboost"; }

 protected:
  absl::StatusOr<ComponentPowers> Evaluate(const double* x, size_t rows) const override {
    ComponentPowers out;
    for (const Component& c : boosters_) {
      ASSIGN_OR_RETURN(std::vector<double> y, PredictComponent(c, x, rows));
      out.push_back(std::move(y));
    }
    return out;
  }

 private:
  absl::StatusOr<std::vector<double>> PredictComponent(const Component& c, const double* x,
                                                       size_t rows) const {
    const size_t width = features().size(), cols = c.columns.size();
    std::vector<double> scaled(rows * cols);
    for (size_t r = 0; r < rows; ++r) {
      for (size_t j = 0; j < cols; ++j) {
        scaled[r * cols + j] = x[r * width + c.columns[j]] / c.scale[j];
      }
    }
    return c.booster->Predict(scaled.data(), rows, cols);
  }

  const std::vector<Component> boosters_;
};

absl::StatusOr<XgboostModel::Component> LoadComponent(const XgboostComponent& spec,
                                                      std::vector<std::string>* features) {
  const auto invalid = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat("xgboost model ", spec.name, ": ", what));
  };
  XgboostModel::Component out;
  auto booster = Booster::Load(spec.model_bytes);
  if (!booster.ok()) return invalid(booster.status().message());
  out.booster = std::move(*booster);
  ASSIGN_OR_RETURN(uint64_t n, out.booster->NumFeatures());
  if (n != spec.features.size()) {
    return invalid(absl::StrCat("booster reads ", n, " features, ", spec.features.size(), " named"));
  }
  out.scale = spec.scale.empty() ? std::vector<double>(n, 1.0) : spec.scale;
  if (out.scale.size() != n) return invalid("scale and features differ in length");
  for (double s : out.scale) {
    if (!(s > 0) || !std::isfinite(s)) return invalid(absl::StrCat("invalid scale ", s));
  }
  for (const std::string& feature : spec.features) {
    auto it = std::find(features->begin(), features->end(), feature);
    out.columns.push_back(it - features->begin());
    if (it == features->end()) features->push_back(feature);
  }
  const std::vector<double> probe(n, 0.0);  // fail at load, not on the first request
  RETURN_IF_ERROR(out.booster->Predict(probe.data(), 1, n).status());
  return out;
}

// A booster as a Regressor; a failed prediction (not expected after the load-time probe) yields
// NaN, which Model::Predict reports as an error.
class XgboostRegressor final : public Regressor {
 public:
  XgboostRegressor(std::unique_ptr<Booster> booster, size_t features)
      : booster_(std::move(booster)), features_(features) {}

  size_t num_features() const override { return features_; }
  absl::string_view family() const override { return "xgboost"; }
  void Predict(const double* x, size_t rows, double* out) const override {
    absl::StatusOr<std::vector<double>> y = booster_->Predict(x, rows, features_);
    for (size_t r = 0; r < rows; ++r) out[r] = y.ok() ? (*y)[r] : std::nan("");
  }

 private:
  const std::unique_ptr<Booster> booster_;
  const size_t features_;
};

}  // namespace

absl::StatusOr<std::shared_ptr<const Regressor>> MakeXgboostRegressor(
    const std::string& model_bytes) {
  auto booster = Booster::Load(model_bytes);
  if (!booster.ok()) return booster.status();
  ASSIGN_OR_RETURN(uint64_t n, (*booster)->NumFeatures());
  if (n == 0) return absl::InvalidArgumentError("xgboost: booster reads no feature");
  const std::vector<double> probe(n, 0.0);  // fail at load, not on the first request
  RETURN_IF_ERROR((*booster)->Predict(probe.data(), 1, n).status());
  return std::make_shared<const XgboostRegressor>(std::move(*booster), n);
}

absl::StatusOr<std::shared_ptr<const Model>> MakeXgboostModel(
    std::vector<XgboostComponent> components) {
  if (components.empty()) return absl::InvalidArgumentError("xgboost model has no component");
  std::vector<std::string> features, names;
  std::vector<XgboostModel::Component> boosters;
  for (const XgboostComponent& spec : components) {
    ASSIGN_OR_RETURN(auto component, LoadComponent(spec, &features));
    names.push_back(spec.name);
    boosters.push_back(std::move(component));
  }
  return std::make_shared<const XgboostModel>(std::move(features), std::move(names),
                                              std::move(boosters));
}

}  // namespace kepler::model::core
