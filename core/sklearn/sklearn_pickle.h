// Reading scikit-learn estimators out of joblib pickles, through a whitelist of exact classes.
//
// What: ParseSklearnPickle runs the pickle machine (core/pickle/) over a joblib file with the
// whitelist of every global the published model databases (kepler-model-db ec2-0.7.11 and
// specpower-0.7.11, scikit-learn 1.5.1 / numpy 2) and scikit-learn 1.2-1.4 / numpy 1 pickles of
// the same families reference, each with the uses it may have: estimator classes only through
// NEWOBJ + BUILD, plain-data constructors (numpy arrays, dtypes, scalars, random states, the loss
// objects' Cython pickles, KD-tree and distance-metric factories) only through REDUCE, functions
// (the reference's curve functions) only as values. SklearnObject then reads an estimator's
// fitted attributes with errors that name the class and the attribute.
// Why: pickles from outside are untrusted; nothing they name is ever run, and anything outside the
// whitelist is refused with its name ("unsupported pickle global posix.system"), so a model that
// needs an unknown class says which.
// How: auto tree = ParseSklearnPickle(bytes); auto object = SklearnObject::Of(tree->root());
// object->Doubles("coef_") ... The limits (per PickleFile kind) are sized for the largest
// published archives with room to grow: see the .cc.
//
// Thread-safety: reentrant; SklearnObject views an immutable PickleTree, which must outlive it.
#ifndef KEPLER_CORE_SKLEARN_SKLEARN_PICKLE_H_
#define KEPLER_CORE_SKLEARN_SKLEARN_PICKLE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/pickle/numpy_array.h"
#include "core/pickle/pickle_machine.h"

namespace kepler::model::core::sklearn {

// What a pickle file holds, which sizes its limits.
enum class PickleFile {
  kEstimator,      // a component's estimator: up to tens of MB (a KNN fit set, 100 trees)
  kPreprocessing,  // scaler.pkl, poly_scaler.pkl: a few hundred bytes
};

// The whitelist and the limits for one pickle file of a model archive.
const pickle::PickleOptions& SklearnPickleOptions(PickleFile file = PickleFile::kEstimator);

// Parses one (possibly zlib- or gzip-compressed) joblib file. InvalidArgument as
// pickle::ParseJoblib: messages name the opcode, global or limit.
absl::StatusOr<std::unique_ptr<pickle::PickleTree>> ParseSklearnPickle(
    absl::string_view bytes, PickleFile file = PickleFile::kEstimator);

// An estimator instance in a pickle: the class NEWOBJ built and the dict BUILD gave it.
class SklearnObject {
 public:
  // `value` must be an object built by NEWOBJ (or copyreg._reconstructor) whose state is a dict.
  static absl::StatusOr<SklearnObject> Of(const pickle::PickleValue& value);

  // "sklearn.svm._classes.SVR".
  const std::string& class_name() const { return class_name_; }
  // The class name without its module ("SVR"), for messages.
  absl::string_view short_name() const;

  // The attribute, or null when absent.
  const pickle::PickleValue* Find(absl::string_view name) const;
  // The attribute; InvalidArgument "<Class> has no <name>" when absent.
  absl::StatusOr<const pickle::PickleValue*> Get(absl::string_view name) const;

  absl::StatusOr<double> Number(absl::string_view name) const;
  absl::StatusOr<int64_t> Integer(absl::string_view name) const;
  absl::StatusOr<bool> Bool(absl::string_view name) const;
  absl::StatusOr<std::string> String(absl::string_view name) const;
  absl::StatusOr<pickle::NumpyArray> Array(absl::string_view name) const;
  // A numeric array with `ndim` dimensions (any when -1), as doubles in C order; `shape` (if not
  // null) receives its shape.
  absl::StatusOr<std::vector<double>> Doubles(absl::string_view name, int ndim,
                                              std::vector<int64_t>* shape = nullptr) const;

  // InvalidArgument "<Class>.<name>: <what>".
  absl::Status Invalid(absl::string_view name, absl::string_view what) const;

 private:
  SklearnObject(std::string class_name, const pickle::PickleValue* state)
      : class_name_(std::move(class_name)), state_(state) {}
  absl::Status Wrap(absl::string_view name, const absl::Status& status) const;

  std::string class_name_;
  const pickle::PickleValue* state_;
};

}  // namespace kepler::model::core::sklearn

#endif  // KEPLER_CORE_SKLEARN_SKLEARN_PICKLE_H_
