// Weight documents: the legacy JSON that Kepler's in-process regressor evaluates (contract
// reference-behaviour §2.6, kepler-clients §1.4-1.6).
//
// What: `{"<component>": {"All_Weights": {"Bias_Weight": b, "Categorical_Variables": {},
// "Numerical_Variables": {"<feature>": {"scale": s, "weight": w}}, "CurveFit_Weights": [...],
// "XGboost_Weights": "<base64>"}}, ...}`, read into and written from v1::WeightDocument.
// Why: kepler-model-db publishes these files beside model archives, the model server serves
// them to Kepler (POST /model with weight=true), and this project's trainers write them. Kepler
// decodes them with Go's encoding/json into fixed structs; a document it cannot use makes it
// fall back to local weights or, for curve-fit counts that do not match the trainer, panic.
// How: parsing keeps component and feature order as in the file and matches keys the way Go
// does (exact, then case-insensitive). Top-level members that are not components (model_name,
// machine_spec, mae, which the server adds) are skipped. Writing produces the published
// layout: key order Bias_Weight, Categorical_Variables, Numerical_Variables, CurveFit_Weights,
// XGboost_Weights; with JsonWriteOptions::PythonDumps(false) a parsed published file is
// reproduced byte for byte. Categorical_Variables is always `{}` in published models; the proto
// has no field for categories, so a document with non-empty categories is rejected rather than
// silently evaluated without them.
//
// Thread-safety: all functions are reentrant and share no state.
#ifndef KEPLER_CORE_WEIGHT_DOCUMENT_H_
#define KEPLER_CORE_WEIGHT_DOCUMENT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/json_util.h"
#include "kepler/model/v1/types.pb.h"

namespace kepler::model::core {

// Parses a weight document. InvalidArgument, naming the JSON path, when the text is not JSON,
// a component lacks All_Weights, a number is missing, non-numeric or non-finite, a component or
// feature repeats, or Categorical_Variables is not empty. A document with no component parses to
// an empty WeightDocument (callers decide whether that is an error).
[[nodiscard]] absl::StatusOr<v1::WeightDocument> ParseWeightDocument(absl::string_view json_text);

// As ParseWeightDocument, from an already parsed JSON object.
[[nodiscard]] absl::StatusOr<v1::WeightDocument> WeightDocumentFromJson(
    const rapidjson::Value& root);

// Adds one member per component of `doc` to the JSON object `*object` (which may already hold
// model_name, machine_spec, ...), allocating from `allocator`. InvalidArgument for non-finite
// numbers or mismatched feature_names/numerical_variables lengths.
[[nodiscard]] absl::Status AddWeightDocumentMembers(const v1::WeightDocument& doc,
                                                    rapidjson::Value* object,
                                                    rapidjson::Document::AllocatorType& allocator);

// The document as JSON text in the published layout.
[[nodiscard]] absl::StatusOr<std::string> WriteWeightDocument(const v1::WeightDocument& doc,
                                                              const JsonWriteOptions& options);

// Checks `doc` against what Kepler's predictor for `trainer` (e.g. "SGDRegressorTrainer", or ""
// for Kepler's default) requires, so that serving it cannot trigger Kepler's nil-predictor
// panic (kepler-clients §1.5): Logarithmic and Exponential need exactly 3 CurveFit_Weights per
// component, Logistic exactly 4, and every other trainer (linear) none. Also requires at least
// one component. InvalidArgument names the offending component.
[[nodiscard]] absl::Status ValidateForKepler(const v1::WeightDocument& doc,
                                             absl::string_view trainer);

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_WEIGHT_DOCUMENT_H_
