#include "core/sklearn/sklearn_pickle.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/pickle/joblib_file.h"
#include "core/status_macros.h"

namespace kepler::model::core::sklearn {
namespace {

using pickle::PickleValue;
using Kind = PickleValue::Kind;

constexpr uint8_t kValue = pickle::kAsValue;
constexpr uint8_t kClass = pickle::kAsValue | pickle::kNewObj;
constexpr uint8_t kFunction = pickle::kAsValue | pickle::kReduce;

void AddCurveFitGlobals(absl::flat_hash_map<std::string, uint8_t>* globals) {
  // The reference's curve-fit model and its functions, under every module path it has used.
  for (const char* prefix : {"", "train.", "kepler_model.train.", "src.train."}) {
    (*globals)[absl::StrCat(prefix, "trainer.curvefit.CurveFitModel")] = kClass;
  }
  for (const char* prefix : {"train.", "kepler_model.train.", "src.train.", ""}) {
    for (const char* trainer : {"LogarithmicRegressionTrainer", "ExponentialRegressionTrainer",
                                "LogisticRegressionTrainer"}) {
      for (const char* function : {"log_func", "expo_func", "logi_func", "p0_func"}) {
        (*globals)[absl::StrCat(prefix, "trainer.", trainer, ".main.", function)] = kValue;
      }
    }
  }
}

pickle::PickleOptions MakeOptions(PickleFile file) {
  pickle::PickleOptions options;
  auto& g = options.allowed_globals;
  // numpy arrays, dtypes and scalars (numpy 1 and numpy 2 module names), joblib's wrapper.
  for (const char* core : {"numpy.core", "numpy._core"}) {
    g[absl::StrCat(core, ".multiarray._reconstruct")] = kFunction;
    g[absl::StrCat(core, ".multiarray.scalar")] = kFunction;
    g[absl::StrCat(core, ".numeric._frombuffer")] = kFunction;
  }
  g["numpy.ndarray"] = kValue;
  g["numpy.dtype"] = kFunction;
  g["_codecs.encode"] = kFunction;
  g["copyreg._reconstructor"] = kFunction;
  g["copy_reg._reconstructor"] = kFunction;
  g["builtins.object"] = kValue;
  g["__builtin__.object"] = kValue;
  g["joblib.numpy_pickle.NumpyArrayWrapper"] = kClass;
  g["sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper"] = kClass;
  // Random states stored by the trees (inert: never used for prediction).
  g["numpy.random._pickle.__randomstate_ctor"] = kFunction;
  g["numpy.random._pickle.__bit_generator_ctor"] = kFunction;
  g["numpy.random._pickle.__generator_ctor"] = kFunction;
  g["numpy.random.__RandomState_ctor"] = kFunction;
  g["numpy.random._mt19937.MT19937"] = kValue;
  g["numpy.random.bit_generator.__pyx_unpickle_SeedSequence"] = kFunction;
  g["numpy.random.bit_generator.SeedSequence"] = kValue;
  g["numpy.random._bit_generator.__pyx_unpickle_SeedSequence"] = kFunction;
  g["numpy.random._bit_generator.SeedSequence"] = kValue;
  // Gradient boosting: the estimator, its trees, its init and loss objects (1.1+ and 1.0- losses).
  g["sklearn.ensemble._gb.GradientBoostingRegressor"] = kClass;
  g["sklearn.tree._classes.DecisionTreeRegressor"] = kClass;
  g["sklearn.tree._tree.Tree"] = kFunction;
  g["sklearn.dummy.DummyRegressor"] = kClass;
  g["sklearn._loss.loss.HalfSquaredError"] = kClass;
  g["sklearn._loss.loss.AbsoluteError"] = kClass;
  g["sklearn._loss.loss.HuberLoss"] = kClass;
  g["sklearn._loss.loss.PinballLoss"] = kClass;
  g["sklearn._loss.link.IdentityLink"] = kClass;
  g["sklearn._loss.link.Interval"] = kClass;
  for (const char* module : {"_loss", "sklearn._loss._loss"}) {
    for (const char* loss : {"CyHalfSquaredError", "CyAbsoluteError", "CyHuberLoss",
                             "CyPinballLoss"}) {
      g[absl::StrCat(module, ".", loss)] = kValue;
      g[absl::StrCat(module, ".__pyx_unpickle_", loss)] = kFunction;
    }
  }
  for (const char* loss : {"LeastSquaresError", "LeastAbsoluteError", "HuberLossFunction",
                           "QuantileLossFunction"}) {
    g[absl::StrCat("sklearn.ensemble._gb_losses.", loss)] = kClass;
  }
  // k-neighbours, its search trees and distance metrics (kept as inert data).
  g["sklearn.neighbors._regression.KNeighborsRegressor"] = kClass;
  for (const char* module : {"sklearn.neighbors._kd_tree", "sklearn.neighbors._ball_tree"}) {
    g[absl::StrCat(module, ".newObj")] = kFunction;
  }
  g["sklearn.neighbors._kd_tree.KDTree"] = kValue;
  g["sklearn.neighbors._ball_tree.BallTree"] = kValue;
  for (const char* module : {"sklearn.metrics._dist_metrics", "sklearn.neighbors._dist_metrics"}) {
    g[absl::StrCat(module, ".newObj")] = kFunction;
    g[absl::StrCat(module, ".EuclideanDistance")] = kValue;
    g[absl::StrCat(module, ".EuclideanDistance64")] = kValue;
  }
  // Support vectors, linear models, preprocessing.
  g["sklearn.svm._classes.SVR"] = kClass;
  g["sklearn.linear_model._base.LinearRegression"] = kClass;
  g["sklearn.linear_model._stochastic_gradient.SGDRegressor"] = kClass;
  g["sklearn.preprocessing._data.MaxAbsScaler"] = kClass;
  g["sklearn.preprocessing.data.MaxAbsScaler"] = kClass;
  g["sklearn.preprocessing._polynomial.PolynomialFeatures"] = kClass;
  g["sklearn.preprocessing._data.PolynomialFeatures"] = kClass;
  AddCurveFitGlobals(&g);
  // Limits, per pickle file. The largest published component pickles are GradientBoosting ones
  // of ~200 KB (~12,000 values) and KNeighbors ones holding the fit set twice (the estimator's
  // _fit_X and its KD-tree's copy; a few hundred values). 64 MiB of input and of array bytes and
  // 500,000 values (~60 MB of values at most) leave 40x room or more and bound what one file
  // costs. Preprocessing pickles get 1 MiB and 10,000 values (they need ~60).
  if (file == PickleFile::kEstimator) {
    options.max_bytes = 64 << 20;
    options.max_value_bytes = 64 << 20;
    options.max_values = 500'000;
  } else {
    options.max_bytes = 1 << 20;
    options.max_value_bytes = 1 << 20;
    options.max_values = 10'000;
  }
  options.max_stack = 10'000;
  options.max_nested_pickles = 2;
  return options;
}

}  // namespace

const pickle::PickleOptions& SklearnPickleOptions(PickleFile file) {
  static const auto* estimator = new pickle::PickleOptions(MakeOptions(PickleFile::kEstimator));
  static const auto* preprocessing =
      new pickle::PickleOptions(MakeOptions(PickleFile::kPreprocessing));
  return file == PickleFile::kEstimator ? *estimator : *preprocessing;
}

absl::StatusOr<std::unique_ptr<pickle::PickleTree>> ParseSklearnPickle(absl::string_view bytes,
                                                                       PickleFile file) {
  return pickle::ParseJoblib(bytes, SklearnPickleOptions(file));
}

absl::StatusOr<SklearnObject> SklearnObject::Of(const PickleValue& value) {
  if (value.kind != Kind::kObject) {
    return absl::InvalidArgumentError("pickle: expected an estimator object");
  }
  const PickleValue* cls = value.callable;
  if (value.callable->IsGlobal("copyreg._reconstructor") ||
      value.callable->IsGlobal("copy_reg._reconstructor")) {
    cls = value.args->items.empty() ? nullptr : value.args->items[0];
  } else if (value.call != PickleValue::Call::kNewObj) {
    return absl::InvalidArgumentError(
        absl::StrCat("pickle: ", value.callable->text, " is not an estimator instance"));
  }
  if (cls == nullptr || cls->kind != Kind::kGlobal) {
    return absl::InvalidArgumentError("pickle: malformed estimator object");
  }
  auto uses = SklearnPickleOptions().allowed_globals.find(cls->text);
  if (uses == SklearnPickleOptions().allowed_globals.end() || !(uses->second & pickle::kNewObj)) {
    return absl::InvalidArgumentError(absl::StrCat("pickle: ", cls->text, " is not a class"));
  }
  if (value.state == nullptr || value.state->kind != Kind::kDict) {
    return absl::InvalidArgumentError(
        absl::StrCat("pickle: ", cls->text, " has no fitted state"));
  }
  return SklearnObject(cls->text, value.state);
}

absl::string_view SklearnObject::short_name() const {
  absl::string_view name = class_name_;
  const size_t dot = name.rfind('.');
  return dot == absl::string_view::npos ? name : name.substr(dot + 1);
}

const PickleValue* SklearnObject::Find(absl::string_view name) const { return state_->Get(name); }

absl::Status SklearnObject::Invalid(absl::string_view name, absl::string_view what) const {
  return absl::InvalidArgumentError(absl::StrCat(short_name(), ".", name, ": ", what));
}

absl::Status SklearnObject::Wrap(absl::string_view name, const absl::Status& status) const {
  return Invalid(name, status.message());
}

absl::StatusOr<const PickleValue*> SklearnObject::Get(absl::string_view name) const {
  const PickleValue* value = Find(name);
  if (value == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(short_name(), " has no ", name,
                                                   " (not fitted, or an unknown layout)"));
  }
  return value;
}

absl::StatusOr<double> SklearnObject::Number(absl::string_view name) const {
  ASSIGN_OR_RETURN(const PickleValue* value, Get(name));
  auto number = pickle::NumberOf(*value);
  if (!number.ok()) return Wrap(name, number.status());
  return *number;
}

absl::StatusOr<int64_t> SklearnObject::Integer(absl::string_view name) const {
  ASSIGN_OR_RETURN(const PickleValue* value, Get(name));
  auto integer = pickle::IntegerOf(*value);
  if (!integer.ok()) return Wrap(name, integer.status());
  return *integer;
}

absl::StatusOr<bool> SklearnObject::Bool(absl::string_view name) const {
  ASSIGN_OR_RETURN(const PickleValue* value, Get(name));
  if (value->kind != Kind::kBool) return Invalid(name, "expected a bool");
  return value->boolean;
}

absl::StatusOr<std::string> SklearnObject::String(absl::string_view name) const {
  ASSIGN_OR_RETURN(const PickleValue* value, Get(name));
  if (value->kind != Kind::kString) return Invalid(name, "expected a string");
  return value->text;
}

absl::StatusOr<pickle::NumpyArray> SklearnObject::Array(absl::string_view name) const {
  ASSIGN_OR_RETURN(const PickleValue* value, Get(name));
  auto array = pickle::ArrayOf(*value);
  if (!array.ok()) return Wrap(name, array.status());
  return array;
}

absl::StatusOr<std::vector<double>> SklearnObject::Doubles(absl::string_view name, int ndim,
                                                           std::vector<int64_t>* shape) const {
  ASSIGN_OR_RETURN(pickle::NumpyArray array, Array(name));
  if (ndim >= 0 && array.shape.size() != static_cast<size_t>(ndim)) {
    return Invalid(name, absl::StrCat("expected ", ndim, " dimensions, got ", array.shape.size()));
  }
  auto values = pickle::ToDoubles(array);
  if (!values.ok()) return Wrap(name, values.status());
  if (shape != nullptr) *shape = array.shape;
  return values;
}

}  // namespace kepler::model::core::sklearn
