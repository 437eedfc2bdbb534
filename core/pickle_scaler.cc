#include "core/pickle_scaler.h"

#include <cmath>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/sklearn/sklearn_pickle.h"
#include "core/status_macros.h"

namespace kepler::model::core {
namespace {

absl::Status Bad(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("scaler pickle: ", what));
}

bool IsMaxAbsScaler(absl::string_view name) {
  return name == "sklearn.preprocessing._data.MaxAbsScaler" ||
         name == "sklearn.preprocessing.data.MaxAbsScaler";
}

}  // namespace

absl::StatusOr<MaxAbsScale> ReadMaxAbsScalerPickle(absl::string_view pickle_bytes) {
  ASSIGN_OR_RETURN(auto tree, sklearn::ParseSklearnPickle(pickle_bytes, sklearn::PickleFile::kPreprocessing));
  auto object = sklearn::SklearnObject::Of(tree->root());
  if (!object.ok() || !IsMaxAbsScaler(object->class_name())) return Bad("not a MaxAbsScaler");
  if (object->Find("scale_") == nullptr) return Bad("no scale_ (scaler not fitted)");
  auto array = object->Array("scale_");
  if (!array.ok()) return Bad(array.status().message());
  if (array->dtype.kind != 'f' || array->dtype.itemsize != 8 || array->shape.size() != 1) {
    return Bad(absl::StrCat("scale_ must be a 1-D float64 array, got ", array->dtype.Describe()));
  }
  // A scaler fitted on no features cannot scale anything.
  if (array->shape[0] == 0) return Bad("scale_ is empty");
  MaxAbsScale out;
  ASSIGN_OR_RETURN(out.scale, pickle::ToDoubles(*array));
  for (double s : out.scale) {
    if (!std::isfinite(s) || s <= 0) return Bad(absl::StrCat("invalid scale ", s));
  }
  out.n_features_in = static_cast<int64_t>(out.scale.size());
  if (object->Find("n_features_in_") != nullptr) {
    ASSIGN_OR_RETURN(out.n_features_in, object->Integer("n_features_in_"));
    if (out.n_features_in != static_cast<int64_t>(out.scale.size())) {
      return Bad("n_features_in_ does not match scale_");
    }
  }
  return out;
}

}  // namespace kepler::model::core
